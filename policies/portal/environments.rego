# Guardrails for environment requests: data.portal.environments.request, asked by the vending
# plugin before a request is queued (and again on extend).
#
# Input: the version-1 document (policies/README.md) with
#   permission.name  environments.environment.create | environments.environment.update
#   resource         {blueprint, team, size, ttl_hours, estimated_cost_per_hour, variables,
#                     usage: {count, cost_per_day}}   (usage: the team's environments alive now)
# Output: {"decision": "allow"|"deny", "reasons": [..], "require_approval": bool}
package portal.environments

import data.portal.guardrails
import data.portal.roles

default request := {"decision": "deny", "reasons": ["no guardrail rule answered this request"], "require_approval": false}

request := {"decision": "deny", "reasons": sort(deny), "require_approval": false} if count(deny) > 0

request := {"decision": "allow", "reasons": sort(approval), "require_approval": count(approval) > 0} if count(deny) == 0

r := input.resource

blueprint := guardrails.blueprints[r.blueprint]

quota := object.get(guardrails.quotas, r.team, guardrails.quotas["default"])

# The role that sets the TTL limit: the most powerful one the principal holds.
default role := "viewer"

role := "admin" if roles.is_admin

role := "platform-engineer" if {
	not roles.is_admin
	roles.is_platform_engineer
}

role := "developer" if {
	not roles.is_platform_engineer
	"developer" in roles.roles
}

cost_per_day := object.get(r, "estimated_cost_per_hour", 0) * 24

# Two decimals, for reasons people read.
money(x) := round(x * 100) / 100

# ---------------------------------------------------------------------------------------------
# Deny.

deny contains sprintf("input version %v is not supported; this policy reads version 1", [input.version]) if input.version != 1

deny contains "you are not signed in" if input.principal.type != "user"

# The vending plugin always sends every field; anything missing or of the wrong type is refused
# rather than let a rule that needs it stay silent.
required := {
	"blueprint": "string", "team": "string", "size": "string", "ttl_hours": "number",
	"estimated_cost_per_hour": "number",
}

deny contains sprintf("resource.%s must be a %s", [field, type]) if {
	some field, type in required
	type_name(object.get(input, ["resource", field], null)) != type
}

deny contains "resource.usage must hold the team's count and cost_per_day as numbers" if {
	not is_number(object.get(input, ["resource", "usage", "count"], null))
}

deny contains "resource.usage must hold the team's count and cost_per_day as numbers" if {
	not is_number(object.get(input, ["resource", "usage", "cost_per_day"], null))
}

deny contains sprintf("blueprint '%s' is not offered; blueprints: %s", [r.blueprint, concat(", ", sort(object.keys(guardrails.blueprints)))]) if {
	not guardrails.blueprints[r.blueprint]
}

deny contains sprintf("blueprint '%s' is not available to %s", [r.blueprint, r.team]) if {
	not "*" in blueprint.teams
	not r.team in blueprint.teams
}

deny contains sprintf("size '%s' is not offered for %s; sizes: %s", [r.size, r.blueprint, concat(", ", blueprint.sizes)]) if {
	not r.size in blueprint.sizes
}

deny contains sprintf("you may only request environments for your own teams, and %s is not one of them", [r.team]) if {
	not roles.is_platform_engineer
	not r.team in input.principal.ownershipEntityRefs
}

deny contains sprintf("your roles (%s) do not include one that may request %s", [concat(", ", sort([x | some x in roles.roles])), r.blueprint]) if {
	blueprint
	not blueprint.max_ttl_hours[role]
}

deny contains sprintf("a TTL of %v hours must be at least 1 hour", [r.ttl_hours]) if r.ttl_hours < 1

deny contains sprintf("a TTL of %v hours is over the %v-hour limit for %s", [r.ttl_hours, blueprint.hard_max_ttl_hours, r.blueprint]) if {
	r.ttl_hours > blueprint.hard_max_ttl_hours
}

deny contains sprintf("team %s is at its quota of %v environments (%v running)", [r.team, quota.count, r.usage.count]) if {
	r.usage.count + 1 > quota.count
}

deny contains sprintf("team %s would spend %v a day, over its quota of %v (%v running, this one %v)", [r.team, money(r.usage.cost_per_day + cost_per_day), quota.cost_per_day, money(r.usage.cost_per_day), money(cost_per_day)]) if {
	r.usage.cost_per_day + cost_per_day > quota.cost_per_day
}

# ---------------------------------------------------------------------------------------------
# Allowed, but a platform engineer approves first.

approval contains sprintf("a TTL of %v hours is over the %v hours a %s may set, so a platform engineer approves it", [r.ttl_hours, limit, role]) if {
	limit := blueprint.max_ttl_hours[role]
	r.ttl_hours > limit
	r.ttl_hours <= blueprint.hard_max_ttl_hours
}

approval contains sprintf("size '%s' needs a platform engineer's approval", [r.size]) if {
	r.size in guardrails.approval.sizes
	not roles.is_platform_engineer
}

approval contains sprintf("an estimated %v a day is over %v, so a platform engineer approves it", [money(cost_per_day), guardrails.approval.cost_per_day_over]) if {
	cost_per_day > guardrails.approval.cost_per_day_over
	not roles.is_platform_engineer
}
