# Roles of the principal asking, from the role bindings in data.portal.org, with nested groups:
# a member of group:default/payments also holds the roles bound to its parent, engineering.
package portal.roles

# group -> [parent group], the shape graph.reachable walks.
parent_graph[group] := [parent] if {
	some group, parent in data.portal.org.parents
}

principal_refs := {ref | some ref in input.principal.ownershipEntityRefs}

# graph.reachable only walks nodes that are keys of the graph: give every node a key, with the
# parent edges where there are some.
full_graph := object.union(
	{node: [] | some node in (principal_refs | {parent | some parent in data.portal.org.parents})},
	parent_graph,
)

# Every entity the principal stands for: itself, its groups, and their ancestor groups.
memberships := graph.reachable(full_graph, principal_refs)

roles contains role if {
	some ref in memberships
	some role in data.portal.org.role_bindings[ref]
}

roles contains role if {
	some role in data.portal.org.role_bindings[input.principal.userEntityRef]
}

# Every signed-in user may at least look.
roles contains "viewer" if input.principal.type == "user"

is_admin if "admin" in roles

is_platform_engineer if "platform-engineer" in roles

is_platform_engineer if is_admin
