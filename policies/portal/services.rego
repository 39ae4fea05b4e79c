# Guardrails for new services: data.portal.services.create, asked by the golden-path templates'
# first step (scaffolder action golden-path:service:check) before anything is created.
#
# Input: the version-1 document (policies/README.md) with
#   permission.name  golden-path.service.create
#   resource         {name, owner, template}   owner: the team's entity ref, group:default/<team>
# Output: {"decision": "allow"|"deny", "reasons": [..]}
package portal.services

import data.portal.roles

default create := {"decision": "deny", "reasons": ["no guardrail rule answered this request"]}

create := {"decision": "deny", "reasons": sort(deny)} if count(deny) > 0

create := {"decision": "allow", "reasons": []} if count(deny) == 0

r := input.resource

deny contains sprintf("input version %v is not supported; this policy reads version 1", [input.version]) if input.version != 1

deny contains "you are not signed in" if input.principal.type != "user"

deny contains sprintf("resource.%s must be a string", [field]) if {
	some field in ["name", "owner"]
	not is_string(object.get(r, field, null))
}

# A team creates services for itself: the owner must be one of the requester's groups (directly or
# through a child group). The platform team may create a service for any team.
deny contains sprintf("you are not a member of %s: a service can only be created for a team you belong to (ask one of its members, or the platform team)", [r.owner]) if {
	is_string(r.owner)
	not r.owner in roles.memberships
	not roles.is_platform_engineer
}

deny contains sprintf("owner %s must be a team (group:default/<team>)", [r.owner]) if {
	is_string(r.owner)
	not startswith(r.owner, "group:")
}

# Names the platform keeps for itself.
reserved := {"backstage", "portal", "platform", "admin", "api", "www"}

deny contains sprintf("name %s is reserved for the platform", [r.name]) if {
	is_string(r.name)
	r.name in reserved
}
