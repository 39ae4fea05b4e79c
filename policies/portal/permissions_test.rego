package portal.permissions_test

import data.portal.permissions

# One principal per role, as Backstage's credentials would give them (catalog/org.yaml).
principals := {
	"admin": {"type": "user", "userEntityRef": "user:default/ana", "ownershipEntityRefs": ["user:default/ana", "group:default/platform"]},
	"platform-engineer": {"type": "user", "userEntityRef": "user:default/ben", "ownershipEntityRefs": ["user:default/ben", "group:default/platform"]},
	"developer": {"type": "user", "userEntityRef": "user:default/dev", "ownershipEntityRefs": ["user:default/dev", "group:default/payments"]},
	"viewer": {"type": "user", "userEntityRef": "user:default/vic", "ownershipEntityRefs": ["user:default/vic", "group:default/partners"]},
}

q(role, perm, action) := {
	"version": 1,
	"principal": principals[role],
	"permission": {"name": perm, "type": "basic", "action": action},
	"context": {"plugin": "test", "time": "2026-11-25T12:00:00Z"},
}

d(role, perm, action) := x if {
	x := permissions.decision with input as q(role, perm, action)
}

# Every role against every permission family: catalog, scaffolder, environments, and the rest.
expected := [
	# role, permission, action, decision
	["admin", "catalog.entity.read", "read", "allow"],
	["admin", "catalog.entity.delete", "delete", "allow"],
	["admin", "scaffolder.task.create", "create", "allow"],
	["admin", "scaffolder.template.parameter.read", "read", "allow"],
	["admin", "environments.environment.create", "create", "allow"],
	["admin", "environments.request.approve", "update", "conditional"],
	["admin", "dora.deliveries.read", "read", "allow"],
	["admin", "environments.environment.logs.read", "read", "allow"],
	["admin", "kubernetes.proxy", "", "allow"],
	["platform-engineer", "catalog.entity.read", "read", "conditional"],
	["platform-engineer", "catalog.entity.refresh", "update", "allow"],
	["platform-engineer", "catalog.entity.delete", "delete", "allow"],
	["platform-engineer", "catalog.location.delete", "delete", "allow"],
	["platform-engineer", "scaffolder.task.create", "create", "allow"],
	["platform-engineer", "scaffolder.template.step.read", "read", "allow"],
	["platform-engineer", "scaffolder.action.execute", "", "allow"],
	["platform-engineer", "scaffolder.template.management", "", "allow"],
	["platform-engineer", "environments.environment.create", "create", "allow"],
	["platform-engineer", "environments.request.approve", "update", "conditional"],
	["platform-engineer", "environments.environment.logs.read", "read", "allow"],
	["platform-engineer", "scaffolder.task.read", "read", "allow"],
	["platform-engineer", "scaffolder.task.cancel", "", "allow"],
	["platform-engineer", "dora.deliveries.read", "read", "allow"],
	["platform-engineer", "dora.deliveries.retry", "update", "allow"],
	["platform-engineer", "dora.metrics.read", "read", "allow"],
	["platform-engineer", "search.query.read", "read", "allow"],
	["developer", "catalog.entity.read", "read", "conditional"],
	["developer", "catalog.entity.refresh", "update", "conditional"],
	["developer", "catalog.entity.delete", "delete", "conditional"],
	["developer", "catalog.entity.create", "create", "allow"],
	["developer", "catalog.location.create", "create", "allow"],
	["developer", "catalog.location.read", "read", "allow"],
	["developer", "catalog.location.delete", "delete", "deny"],
	["developer", "scaffolder.task.create", "create", "allow"],
	["developer", "scaffolder.task.read", "read", "conditional"],
	["developer", "scaffolder.task.cancel", "", "conditional"],
	["developer", "environments.environment.logs.read", "read", "conditional"],
	["developer", "dora.deliveries.read", "read", "deny"],
	["developer", "dora.deliveries.retry", "update", "deny"],
	["developer", "dora.metrics.read", "read", "allow"],
	["developer", "scaffolder.template.parameter.read", "read", "conditional"],
	["developer", "scaffolder.action.execute", "", "conditional"],
	["developer", "scaffolder.template.management", "", "deny"],
	["developer", "environments.environment.create", "create", "allow"],
	["developer", "environments.environment.delete", "delete", "conditional"],
	["developer", "environments.environment.update", "update", "conditional"],
	["developer", "environments.environment.secrets.read", "read", "conditional"],
	["developer", "environments.environment.read", "read", "allow"],
	["platform-engineer", "environments.environment.delete", "delete", "allow"],
	["platform-engineer", "environments.environment.secrets.read", "read", "allow"],
	["viewer", "environments.environment.secrets.read", "read", "deny"],
	["viewer", "environments.environment.delete", "delete", "deny"],
	["developer", "environments.request.approve", "update", "deny"],
	["developer", "kubernetes.proxy", "", "allow"],
	["developer", "notifications.send", "create", "allow"],
	["viewer", "catalog.entity.read", "read", "conditional"],
	["viewer", "catalog.entity.refresh", "update", "deny"],
	["viewer", "catalog.entity.delete", "delete", "deny"],
	["viewer", "catalog.entity.create", "create", "deny"],
	["viewer", "catalog.location.read", "read", "allow"],
	["viewer", "scaffolder.task.create", "create", "deny"],
	["viewer", "scaffolder.template.parameter.read", "read", "conditional"],
	["viewer", "scaffolder.action.execute", "", "deny"],
	["viewer", "environments.environment.read", "read", "allow"],
	["viewer", "environments.environment.create", "create", "deny"],
	["viewer", "environments.request.approve", "update", "deny"],
	["viewer", "environments.environment.logs.read", "read", "conditional"],
	["viewer", "scaffolder.task.read", "read", "conditional"],
	["viewer", "scaffolder.task.cancel", "", "deny"],
	["viewer", "dora.deliveries.read", "read", "deny"],
	["viewer", "dora.deliveries.retry", "update", "deny"],
	["viewer", "dora.metrics.read", "read", "allow"],
	["viewer", "search.query.read", "read", "allow"],
	["viewer", "kubernetes.proxy", "", "deny"],
	["viewer", "techdocs.entity.read", "", "allow"],
]

test_every_role_against_every_permission_family if {
	mismatches := [sprintf("%s %s: got %s, want %s", [role, perm, got, want]) |
		some [role, perm, action, want] in expected
		got := d(role, perm, action).decision
		got != want
	]
	print(mismatches)
	count(mismatches) == 0
}

test_every_deny_has_reasons if {
	denies := [x | some [role, perm, action, "deny"] in expected; x := d(role, perm, action)]
	count(denies) > 0
	every x in denies {
		count(x.reasons) > 0
		every r in x.reasons {
			is_string(r)
			r != ""
		}
	}
}

test_viewer_is_told_reading_is_all_they_may_do if {
	x := d("viewer", "catalog.entity.delete", "delete")
	some r in x.reasons
	contains(r, "only allow reading")
	contains(r, "viewer")
}

test_developer_is_told_the_platform_team_approves if {
	x := d("developer", "environments.request.approve", "update")
	some r in x.reasons
	contains(r, "platform team")
}

test_restricted_read_condition_keeps_owners if {
	x := d("developer", "catalog.entity.read", "read")
	x.plugin_id == "catalog"
	x.resource_type == "catalog-entity"
	x.conditions.anyOf[0].not == {"rule": "HAS_ANNOTATION", "resourceType": "catalog-entity", "params": {"annotation": "portal.acme.example/restricted", "value": "true"}}
	x.conditions.anyOf[1] == {"rule": "IS_ENTITY_OWNER", "resourceType": "catalog-entity", "params": {"claims": ["user:default/dev", "group:default/payments"]}}
}

test_platform_engineers_read_restricted_entities_only_as_owners_and_admins_read_all if {
	plat := d("platform-engineer", "catalog.entity.read", "read")
	plat.decision == "conditional"
	d("admin", "catalog.entity.read", "read").decision == "allow"
}

test_owner_writes_are_owner_conditions if {
	x := d("developer", "catalog.entity.refresh", "update")
	x.conditions == {"rule": "IS_ENTITY_OWNER", "resourceType": "catalog-entity", "params": {"claims": ["user:default/dev", "group:default/payments"]}}
}

test_platform_only_template_condition if {
	x := d("developer", "scaffolder.template.step.read", "read")
	x.plugin_id == "scaffolder"
	x.resource_type == "scaffolder-template"
	x.conditions.not.rule == "HAS_TAG"
	x.conditions.not.params.tag == "platform-only"
}

test_action_condition_names_action_and_input if {
	x := d("developer", "scaffolder.action.execute", "")
	x.resource_type == "scaffolder-action"
	x.conditions.not.allOf[0].params.actionId == "publish:github"
	x.conditions.not.allOf[1].params == {"key": "repoVisibility", "value": "public"}
}

test_unsigned_in_principal_is_denied if {
	x := permissions.decision with input as {"version": 1, "principal": {"type": "none"}, "permission": {"name": "catalog.entity.read", "type": "basic", "action": "read"}}
	x.decision == "deny"
	x.reasons == ["you are not signed in"]
}

test_unknown_input_version_is_denied if {
	x := permissions.decision with input as object.union(q("admin", "catalog.entity.read", "read"), {"version": 2})
	x.decision == "deny"
	contains(x.reasons[0], "version 2")
}

test_read_is_inferred_from_the_name_when_there_is_no_action if {
	x := d("viewer", "techdocs.entity.read", "")
	x.decision == "allow"
}

test_batch_answers_in_order if {
	b := permissions.batch with input as {"queries": [
		q("viewer", "catalog.entity.delete", "delete"),
		q("admin", "catalog.entity.delete", "delete"),
		q("developer", "catalog.entity.refresh", "update"),
	]}
	[x.decision | some x in b] == ["deny", "allow", "conditional"]
}

test_a_rule_that_allows_nothing_denies_by_default if {
	x := permissions.decision with input as object.union(q("viewer", "kubernetes.proxy", ""), {"principal": {"type": "user", "userEntityRef": "user:default/x", "ownershipEntityRefs": []}})
	x.decision == "deny"
}

test_a_one_person_batch_answers_as_single_questions_do if {
	qs := [q("developer", "catalog.entity.refresh", "update"), q("developer", "environments.request.approve", "update"), q("developer", "kubernetes.proxy", "")]
	b := permissions.batch with input as {"queries": qs}
	b == [d("developer", "catalog.entity.refresh", "update"), d("developer", "environments.request.approve", "update"), d("developer", "kubernetes.proxy", "")]
}

test_environment_owner_condition_names_the_teams if {
	x := d("developer", "environments.environment.delete", "delete")
	x.plugin_id == "environments"
	x.conditions == {"rule": "IS_ENVIRONMENT_OWNER", "resourceType": "environment", "params": {"claims": ["user:default/dev", "group:default/payments"]}}
}

# A resource question, as the plugin asks it for one object.
rq(role, perm, action, resource_type) := object.union(q(role, perm, action), {"permission": {"name": perm, "type": "resource", "resourceType": resource_type, "action": action}})

rd(role, perm, action, resource_type) := x if {
	x := permissions.decision with input as rq(role, perm, action, resource_type)
}

# Item 5: an environment's runs and logs go to its owning team (any role) and the platform team.
test_environment_logs_are_read_by_the_owning_team_whatever_their_role if {
	every role in ["developer", "viewer"] {
		x := rd(role, "environments.environment.logs.read", "read", "environment")
		x.decision == "conditional"
		x.plugin_id == "environments"
		x.resource_type == "environment"
		x.conditions == {"rule": "IS_ENVIRONMENT_OWNER", "resourceType": "environment", "params": {"claims": principals[role].ownershipEntityRefs}}
		contains(x.reasons[0], "owning team and the platform team")
	}
}

test_environment_logs_are_read_by_the_platform_team if {
	x := rd("platform-engineer", "environments.environment.logs.read", "read", "environment")
	x.decision == "allow"
	x.reasons == ["the platform team reads every environment's runs and logs"]
}

test_other_environment_reads_stay_open_to_everyone if {
	rd("viewer", "environments.environment.read", "read", "environment").decision == "allow"
}

# Item 5: raw DORA deliveries (whole payloads) and their retry are for the platform team.
test_raw_deliveries_are_refused_to_developers_and_viewers_with_the_reason if {
	every role in ["developer", "viewer"] {
		every pair in [["dora.deliveries.read", "read"], ["dora.deliveries.retry", "update"]] {
			x := d(role, pair[0], pair[1])
			x.decision == "deny"
			some r in x.reasons
			contains(r, sprintf("%s is for the platform team", [pair[0]]))
		}
	}
}

test_raw_deliveries_are_read_and_retried_by_the_platform_team if {
	d("platform-engineer", "dora.deliveries.read", "read").reasons == ["the platform team administers the portal"]
	d("platform-engineer", "dora.deliveries.retry", "update").decision == "allow"
}

# Item 5: template runs go to whoever started them and the platform team, with the rule the
# scaffolder publishes (IS_TASK_OWNER, params {createdBy: [entity refs]}).
test_template_runs_are_read_and_cancelled_only_by_their_creator if {
	every pair in [["scaffolder.task.read", "read"], ["scaffolder.task.cancel", ""]] {
		x := rd("developer", pair[0], pair[1], "scaffolder-task")
		x.decision == "conditional"
		x.plugin_id == "scaffolder"
		x.resource_type == "scaffolder-task"
		x.conditions == {"rule": "IS_TASK_OWNER", "resourceType": "scaffolder-task", "params": {"createdBy": ["user:default/dev"]}}
		contains(x.reasons[0], "whoever started them")
	}
}

test_template_runs_are_read_and_cancelled_by_the_platform_team if {
	x := rd("platform-engineer", "scaffolder.task.cancel", "", "scaffolder-task")
	x.decision == "allow"
	x.reasons == ["the platform team reads and cancels every template run"]
}

test_a_viewer_reads_their_own_runs_but_cancels_none if {
	rd("viewer", "scaffolder.task.read", "read", "scaffolder-task").conditions.params.createdBy == ["user:default/vic"]
	x := rd("viewer", "scaffolder.task.cancel", "", "scaffolder-task")
	x.decision == "deny"
	some r in x.reasons
	contains(r, "only allow reading")
}

# Item 6: four eyes on approvals, for platform engineers and admins alike.
test_four_eyes_approvers_must_not_be_the_requester if {
	every role in ["platform-engineer", "admin"] {
		x := rd(role, "environments.request.approve", "update", "environment")
		x.decision == "conditional"
		x.plugin_id == "environments"
		x.resource_type == "environment"
		x.conditions == {"not": {"rule": "IS_ENVIRONMENT_REQUESTER", "resourceType": "environment", "params": {"userEntityRef": principals[role].userEntityRef}}}
		x.reasons == ["four eyes: you cannot approve your own request; another platform engineer must approve it"]
	}
}

test_four_eyes_admins_keep_every_other_power if {
	rd("admin", "environments.environment.quarantine.resolve", "update", "environment").decision == "allow"
	rd("admin", "environments.environment.delete", "delete", "environment").decision == "allow"
}

test_four_eyes_others_may_not_approve_at_all if {
	every role in ["developer", "viewer"] {
		x := rd(role, "environments.request.approve", "update", "environment")
		x.decision == "deny"
		some r in x.reasons
		contains(r, "platform team")
	}
}
