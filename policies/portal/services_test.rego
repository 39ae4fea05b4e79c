package portal.services_test

import data.portal.services

people := {
	"platform-engineer": {"type": "user", "userEntityRef": "user:default/ben", "ownershipEntityRefs": ["user:default/ben", "group:default/platform"]},
	"developer": {"type": "user", "userEntityRef": "user:default/dev", "ownershipEntityRefs": ["user:default/dev", "group:default/payments"]},
	"viewer": {"type": "user", "userEntityRef": "user:default/vic", "ownershipEntityRefs": ["user:default/vic", "group:default/partners"]},
	"nobody": {"type": "none"},
}

ask(who, resource) := x if {
	x := services.create with input as {
		"version": 1,
		"principal": people[who],
		"permission": {"name": "golden-path.service.create", "type": "basic", "action": "create"},
		"resource": object.union({"name": "order-history", "owner": "group:default/payments", "template": "node-service"}, resource),
		"context": {"plugin": "scaffolder", "time": "2026-12-03T12:00:00Z"},
	}
}

test_a_developer_creates_a_service_for_their_team if {
	ask("developer", {}).decision == "allow"
}

test_a_developer_cannot_create_a_service_for_another_team if {
	x := ask("developer", {"owner": "group:default/storefront"})
	x.decision == "deny"
	x.reasons == ["you are not a member of group:default/storefront: a service can only be created for a team you belong to (ask one of its members, or the platform team)"]
}

test_the_platform_team_creates_a_service_for_any_team if {
	ask("platform-engineer", {"owner": "group:default/storefront"}).decision == "allow"
}

test_a_member_of_a_child_group_owns_for_the_parent if {
	# payments is a child of engineering (portal/org/data.yaml)
	ask("developer", {"owner": "group:default/engineering"}).decision == "allow"
}

test_an_external_viewer_cannot_create_for_a_team if {
	ask("viewer", {}).decision == "deny"
}

test_nobody_signed_in_is_refused if {
	"you are not signed in" in ask("nobody", {}).reasons
}

test_the_owner_must_be_a_group if {
	x := ask("platform-engineer", {"owner": "user:default/ben"})
	"owner user:default/ben must be a team (group:default/<team>)" in x.reasons
}

test_reserved_names_are_refused if {
	x := ask("developer", {"name": "portal"})
	x.reasons == ["name portal is reserved for the platform"]
}

test_missing_fields_are_named if {
	x := services.create with input as {
		"version": 1,
		"principal": people.developer,
		"permission": {"name": "golden-path.service.create", "type": "basic", "action": "create"},
		"resource": {"name": 42},
		"context": {"plugin": "scaffolder", "time": "2026-12-03T12:00:00Z"},
	}
	"resource.name must be a string" in x.reasons
	"resource.owner must be a string" in x.reasons
}

test_an_unknown_input_version_is_refused if {
	x := services.create with input as {"version": 2, "principal": people.developer, "resource": {"name": "a", "owner": "group:default/payments"}}
	x.decision == "deny"
}
