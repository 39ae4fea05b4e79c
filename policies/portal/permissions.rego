# Every permission decision of the portal: data.portal.permissions.decision for one input,
# data.portal.permissions.batch for many at once (input.queries), in one OPA round trip.
#
# Input: the versioned document in policies/README.md (principal from Backstage's credentials,
# permission name/type/resourceType/action, the calling plugin). Output:
#   {"decision": "allow"|"deny"|"conditional", "reasons": [..],
#    "plugin_id": "...", "resource_type": "...", "conditions": {...}}   (conditional only)
package portal.permissions

import data.portal.roles

# ---------------------------------------------------------------------------------------------
# The answer. Exactly one of the rules below applies; a deny names its reasons.

default decision := {"decision": "deny", "reasons": ["no rule of the portal's policy allows this"]}

decision := {"decision": "deny", "reasons": sort(unsupported_version)} if count(unsupported_version) > 0

decision := {"decision": "deny", "reasons": ["you are not signed in"]} if {
	count(unsupported_version) == 0
	input.principal.type != "user"
}

decision := {"decision": "allow", "reasons": sort(allow_reasons)} if {
	count(unsupported_version) == 0
	input.principal.type == "user"
	count(allow_reasons) > 0
}

decision := object.union(
	{"decision": "conditional", "reasons": [reason]},
	cond,
) if {
	count(unsupported_version) == 0
	input.principal.type == "user"
	count(allow_reasons) == 0
	[reason, cond] := conditional
}

decision := {"decision": "deny", "reasons": sort(deny_reasons)} if {
	count(unsupported_version) == 0
	input.principal.type == "user"
	count(allow_reasons) == 0
	not conditional
	count(deny_reasons) > 0
}

# Many questions in one round trip: input.queries is a list of inputs; the answer is the list of
# their decisions, in order.
# Most batches come from one person (one authorize request); their roles are then worked out once.
batch := [d | some q in input.queries; d := decision with input as q] if count(batch_principals) != 1

batch := [d | some q in input.queries; d := decision with input as q with roles.roles as shared_roles] if {
	count(batch_principals) == 1
}

batch_principals := {q.principal | some q in input.queries}

shared_roles := r if {
	r := roles.roles with input as input.queries[0]
}

unsupported_version contains sprintf("input version %v is not supported; this policy reads version 1", [input.version]) if {
	input.version != 1
}

# ---------------------------------------------------------------------------------------------
# Helpers over the input.

name := input.permission.name

action := object.get(input.permission, "action", "")

# A permission that only reads: its action is read, or (with no action) its name says so.
is_read if action == "read"

is_read if {
	action == ""
	endswith(name, ".read")
}

family := split(name, ".")[0]

claims := input.principal.ownershipEntityRefs

role_names := concat(", ", sort([r | some r in roles.roles]))

# ---------------------------------------------------------------------------------------------
# Allow.

# Admins may do everything, except approve their own environment requests (four eyes, below).
allow_reasons contains "admins may do everything" if {
	roles.is_admin
	not name in four_eyes_permissions
}

# Catalog: platform engineers act on every entity, but confidential ones are read by owners only.
allow_reasons contains "platform engineers manage every catalog entity" if {
	roles.is_platform_engineer
	name in catalog_owner_writes
}

allow_reasons contains "every signed-in user may read catalog locations" if name == "catalog.location.read"

allow_reasons contains "developers may register and validate catalog entities" if {
	"developer" in roles.roles
	name in {"catalog.entity.create", "catalog.location.create", "catalog.entity.validate", "catalog.location.analyze"}
}

allow_reasons contains "the platform team administers the portal" if {
	roles.is_platform_engineer
	name in platform_only_permissions
	not name in four_eyes_permissions
}

# Scaffolder.
allow_reasons contains "developers may run templates" if {
	"developer" in roles.roles
	name == "scaffolder.task.create"
}

allow_reasons contains "the platform team reads and cancels every template run" if {
	roles.is_platform_engineer
	name in scaffolder_task_permissions
}

allow_reasons contains "the platform team reads and runs every template" if {
	roles.is_platform_engineer
	name in scaffolder_template_permissions
}

allow_reasons contains "the platform team may use every scaffolder action" if {
	roles.is_platform_engineer
	name == "scaffolder.action.execute"
}

# Environments: the vending plugin's own guardrails (data.portal.environments) decide the rest.
allow_reasons contains "developers may request environments" if {
	"developer" in roles.roles
	name == "environments.environment.create"
}

allow_reasons contains "every signed-in user may read environments" if {
	family == "environments"
	is_read
	not name in environments_owner_permissions
	not name in environments_team_reads
}

allow_reasons contains "the platform team manages every environment" if {
	roles.is_platform_engineer
	name in environments_owner_permissions
}

allow_reasons contains "the platform team reads every environment's runs and logs" if {
	roles.is_platform_engineer
	name in environments_team_reads
}

# Every other plugin (search, techdocs, kubernetes, notifications, ...): viewers read, developers act.
allow_reasons contains "every signed-in user may read" if {
	not family in governed_families
	not name in platform_only_permissions
	is_read
}

allow_reasons contains "developers may use the portal's other plugins" if {
	"developer" in roles.roles
	not family in governed_families
	not name in platform_only_permissions
}

# ---------------------------------------------------------------------------------------------
# Conditional: [reason, {"plugin_id", "resource_type", "conditions"}], applied by the plugin that
# owns the resource (in SQL, for the catalog).

# Reading the catalog: everything except restricted entities, which only their owners read.
# Restricted (the annotation below, set by the catalog's VisibilityProcessor) means annotated
# confidential, or tagged platform-only (platform-only templates are owned by the platform team).
# One condition on one annotation keeps the catalog's SQL filter cheap.
conditional := [
	"confidential and platform-only entities are read only by their owners",
	catalog_conditions({"anyOf": [
		{"not": has_annotation(restricted_annotation, "true")},
		is_entity_owner,
	]}),
] if name == "catalog.entity.read"

# Refresh, unregister and delete: developers act on what their teams own.
conditional := [
	"developers may refresh, unregister and delete only what they or their teams own",
	catalog_conditions(is_entity_owner),
] if {
	name in catalog_owner_writes
	not roles.is_platform_engineer
	"developer" in roles.roles
}

# Templates tagged platform-only are hidden from, and cannot be run by, anyone else.
conditional := [
	"templates tagged platform-only are for the platform team",
	{
		"plugin_id": "scaffolder",
		"resource_type": "scaffolder-template",
		"conditions": {"not": {"rule": "HAS_TAG", "resourceType": "scaffolder-template", "params": {"tag": "platform-only"}}},
	},
] if {
	name in scaffolder_template_permissions
	not roles.is_platform_engineer
}

# Scaffolder actions, constrained by action id and input: developers may not publish public
# repositories; the platform team may.
conditional := [
	"developers may not publish public repositories",
	{
		"plugin_id": "scaffolder",
		"resource_type": "scaffolder-action",
		"conditions": {"not": {"allOf": [
			{"rule": "HAS_ACTION_ID", "resourceType": "scaffolder-action", "params": {"actionId": "publish:github"}},
			{"rule": "HAS_STRING_PROPERTY", "resourceType": "scaffolder-action", "params": {"key": "repoVisibility", "value": "public"}},
		]}},
	},
] if {
	name == "scaffolder.action.execute"
	not roles.is_platform_engineer
	"developer" in roles.roles
}

# Environments: developers extend, destroy and see the secrets of their teams' environments only.
conditional := [
	"developers may extend, destroy and see the secrets of only their teams' environments",
	environment_conditions(is_environment_owner),
] if {
	name in environments_owner_permissions
	not roles.is_platform_engineer
	"developer" in roles.roles
}

# An environment's runs and logs: its owning team, whatever their role (a viewer who is a member
# too), and the platform team (allowed above).
conditional := [
	"an environment's runs and logs are read only by its owning team and the platform team",
	environment_conditions(is_environment_owner),
] if {
	name in environments_team_reads
	not roles.is_platform_engineer
}

# Four eyes: the platform team approves environment requests, but nobody (admins included)
# approves a request of their own.
conditional := [
	"four eyes: you cannot approve your own request; another platform engineer must approve it",
	environment_conditions({"not": {
		"rule": "IS_ENVIRONMENT_REQUESTER",
		"resourceType": "environment",
		"params": {"userEntityRef": input.principal.userEntityRef},
	}}),
] if {
	name in four_eyes_permissions
	roles.is_platform_engineer
}

# Template runs (tasks): read and cancelled by whoever started them, and by the platform team
# (allowed above). Cancel has no action in the scaffolder, so it is not a read.
conditional := [
	"template runs are read and cancelled only by whoever started them and the platform team",
	{
		"plugin_id": "scaffolder",
		"resource_type": "scaffolder-task",
		"conditions": {"rule": "IS_TASK_OWNER", "resourceType": "scaffolder-task", "params": {"createdBy": [input.principal.userEntityRef]}},
	},
] if {
	name in scaffolder_task_permissions
	not roles.is_platform_engineer
	task_access_role
}

catalog_conditions(c) := {"plugin_id": "catalog", "resource_type": "catalog-entity", "conditions": c}

has_annotation(a, v) := {"rule": "HAS_ANNOTATION", "resourceType": "catalog-entity", "params": {"annotation": a, "value": v}}

is_entity_owner := {"rule": "IS_ENTITY_OWNER", "resourceType": "catalog-entity", "params": {"claims": claims}}

environment_conditions(c) := {"plugin_id": "environments", "resource_type": "environment", "conditions": c}

is_environment_owner := {"rule": "IS_ENVIRONMENT_OWNER", "resourceType": "environment", "params": {"claims": claims}}

# Who may hold a template run of their own: developers start them; anyone reads what they started
# (a viewer may once have been a developer), but only developers cancel.
task_access_role if "developer" in roles.roles

task_access_role if is_read

# ---------------------------------------------------------------------------------------------
# Deny, with reasons a person can act on.

deny_reasons contains sprintf("your roles (%s) only allow reading; %s needs the developer role", [role_names, name]) if {
	not "developer" in roles.roles
	not is_read
}

deny_reasons contains sprintf("%s is for the platform team (platform-engineer or admin); your roles: %s", [name, role_names]) if {
	not roles.is_platform_engineer
	name in platform_only_permissions
}

# ---------------------------------------------------------------------------------------------
# Data.

restricted_annotation := "portal.acme.example/restricted"

governed_families := {"catalog", "scaffolder", "environments"}

catalog_owner_writes := {"catalog.entity.refresh", "catalog.entity.delete"}

scaffolder_template_permissions := {"scaffolder.template.parameter.read", "scaffolder.template.step.read"}

environments_admin_permissions := {"environments.request.approve", "environments.environment.quarantine.resolve"}

environments_owner_permissions := {"environments.environment.update", "environments.environment.delete", "environments.environment.secrets.read"}

# Read by the owning team (any role) and the platform team only: run logs can show what a
# module printed.
environments_team_reads := {"environments.environment.logs.read"}

# Never allowed outright, to anyone: the approver must not be the requester.
four_eyes_permissions := {"environments.request.approve"}

scaffolder_task_permissions := {"scaffolder.task.read", "scaffolder.task.cancel"}

# Raw webhook deliveries hold whole payloads (commit messages, issue bodies, people's names).
dora_platform_permissions := {"dora.deliveries.read", "dora.deliveries.retry"}

platform_only_permissions := (environments_admin_permissions | {
	"catalog.location.delete",
	"catalog.ingestion.manage",
	"catalog.ingestion.read",
	"scaffolder.template.management",
	"scaffolder.template.dry-run",
}) | dora_platform_permissions
