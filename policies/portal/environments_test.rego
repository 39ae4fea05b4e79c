package portal.environments_test

import data.portal.environments

people := {
	"admin": {"type": "user", "userEntityRef": "user:default/ana", "ownershipEntityRefs": ["user:default/ana", "group:default/platform"]},
	"platform-engineer": {"type": "user", "userEntityRef": "user:default/ben", "ownershipEntityRefs": ["user:default/ben", "group:default/platform"]},
	"developer": {"type": "user", "userEntityRef": "user:default/dev", "ownershipEntityRefs": ["user:default/dev", "group:default/payments"]},
	"viewer": {"type": "user", "userEntityRef": "user:default/vic", "ownershipEntityRefs": ["user:default/vic", "group:default/partners"]},
}

base := {
	"blueprint": "postgres-sandbox",
	"team": "group:default/payments",
	"size": "small",
	"ttl_hours": 24,
	"estimated_cost_per_hour": 0.05,
	"variables": {},
	"usage": {"count": 0, "cost_per_day": 0},
}

ask(who, changes) := x if {
	x := environments.request with input as {
		"version": 1,
		"principal": people[who],
		"permission": {"name": "environments.environment.create", "type": "basic", "action": "create"},
		"resource": object.union(base, changes),
		"context": {"plugin": "environments", "time": "2026-11-25T12:00:00Z"},
	}
}

has_reason(x, text) if {
	some r in x.reasons
	contains(r, text)
}

test_a_developer_gets_a_small_sandbox_for_their_team if {
	x := ask("developer", {})
	x == {"decision": "allow", "reasons": [], "require_approval": false}
}

test_ttl_over_the_role_limit_goes_to_approval if {
	x := ask("developer", {"ttl_hours": 100})
	x.decision == "allow"
	x.require_approval
	has_reason(x, "over the 72 hours a developer may set")
}

test_the_same_ttl_needs_no_approval_for_a_platform_engineer if {
	x := ask("platform-engineer", {"ttl_hours": 100})
	x.require_approval == false
}

test_ttl_over_the_hard_limit_is_refused if {
	x := ask("admin", {"ttl_hours": 721})
	x.decision == "deny"
	has_reason(x, "over the 720-hour limit")
}

test_ttl_below_an_hour_is_refused if {
	x := ask("developer", {"ttl_hours": 0})
	has_reason(x, "at least 1 hour")
}

test_team_at_its_count_quota_is_refused_with_the_quota if {
	x := ask("developer", {"usage": {"count": 5, "cost_per_day": 1}})
	x.decision == "deny"
	has_reason(x, "at its quota of 5 environments")
}

test_the_platform_team_has_a_larger_quota if {
	x := ask("platform-engineer", {"team": "group:default/platform", "usage": {"count": 5, "cost_per_day": 1}})
	x.decision == "allow"
}

test_team_over_its_cost_quota_is_refused if {
	x := ask("developer", {"usage": {"count": 1, "cost_per_day": 49}, "estimated_cost_per_hour": 0.1})
	has_reason(x, "over its quota of 50")
}

test_expensive_or_large_requests_need_approval if {
	x := ask("developer", {"size": "large", "estimated_cost_per_hour": 1})
	x.require_approval
	has_reason(x, "size 'large'")
	has_reason(x, "estimated 24 a day")
}

test_an_unknown_blueprint_or_size_is_refused_naming_the_choices if {
	x := ask("developer", {"blueprint": "mainframe"})
	has_reason(x, "'mainframe' is not offered; blueprints: k8s-namespace, postgres-sandbox, workspace")
	y := ask("developer", {"blueprint": "workspace", "size": "large"})
	has_reason(y, "sizes: small, medium")
}

test_a_platform_only_blueprint_is_refused_to_product_teams if {
	x := ask("developer", {"blueprint": "k8s-namespace", "size": "small"})
	has_reason(x, "not available to group:default/payments")
	has_reason(x, "do not include one that may request k8s-namespace")
	y := ask("platform-engineer", {"blueprint": "k8s-namespace", "size": "small", "team": "group:default/platform"})
	y.decision == "allow"
}

test_developers_request_only_for_their_own_teams if {
	x := ask("developer", {"team": "group:default/storefront"})
	has_reason(x, "not one of them")
	y := ask("platform-engineer", {"team": "group:default/storefront"})
	y.decision == "allow"
}

test_a_viewer_may_not_request if {
	x := ask("viewer", {"team": "group:default/partners"})
	x.decision == "deny"
	has_reason(x, "do not include one that may request postgres-sandbox")
}

test_unsigned_in_and_unknown_versions_are_refused if {
	x := environments.request with input as {"version": 2, "principal": {"type": "none", "ownershipEntityRefs": []}, "resource": base}
	has_reason(x, "you are not signed in")
	has_reason(x, "version 2")
}

test_an_input_without_a_resource_is_refused if {
	x := environments.request with input as {"version": 1, "principal": people.developer}
	x.decision == "deny"
	has_reason(x, "resource.blueprint must be a string")
	has_reason(x, "resource.usage must hold")
}

test_a_field_of_the_wrong_type_is_refused_naming_it if {
	x := ask("developer", {"ttl_hours": "forever"})
	x.decision == "deny"
	has_reason(x, "resource.ttl_hours must be a number")
}
