# For the benchmark only (bench/permissions.sh): the community OPA wrapper module
# (@parsifal-m/plugin-permission-backend-module-opa-wrapper) sends {permission: {name}, identity:
# {user, claims}} and expects {result: ALLOW|DENY|CONDITIONAL, pluginId, resourceType, conditions}.
# This adapter answers it with the portal's own policy, so both modules ask the same OPA the same
# questions and only the modules differ.
package bench.wrapper

import data.portal.permissions

actions := {"read": "read", "create": "create", "delete": "delete", "refresh": "update", "approve": "update"}

action := a if {
	parts := split(input.permission.name, ".")
	a := actions[parts[count(parts) - 1]]
}

default action := ""

decision := out if {
	d := permissions.decision with input as {
		"version": 1,
		"principal": {"type": "user", "userEntityRef": input.identity.user, "ownershipEntityRefs": input.identity.claims},
		"permission": {"name": input.permission.name, "type": "basic", "action": action},
		"context": {"time": "2026-01-01T00:00:00Z"},
	}
	out := to_wrapper(d)
}

to_wrapper(d) := {"result": "ALLOW"} if d.decision == "allow"

to_wrapper(d) := {"result": "DENY"} if d.decision == "deny"

to_wrapper(d) := {"result": "CONDITIONAL", "pluginId": d.plugin_id, "resourceType": d.resource_type, "conditions": d.conditions} if {
	d.decision == "conditional"
}
