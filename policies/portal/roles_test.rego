package portal.roles_test

import data.portal.roles

principal(user, refs) := {"principal": {
	"type": "user",
	"userEntityRef": user,
	"ownershipEntityRefs": array.concat([user], refs),
}}

test_member_of_a_product_team_is_a_developer_through_the_parent_group if {
	r := roles.roles with input as principal("user:default/guest", ["group:default/payments"])
	r == {"developer", "viewer"}
}

test_platform_member_is_platform_engineer_and_developer if {
	r := roles.roles with input as principal("user:default/ben", ["group:default/platform"])
	r == {"platform-engineer", "developer", "viewer"}
	roles.is_platform_engineer with input as principal("user:default/ben", ["group:default/platform"])
}

test_user_binding_applies_without_groups if {
	roles.is_admin with input as principal("user:default/ana", [])
	roles.is_platform_engineer with input as principal("user:default/ana", [])
}

test_user_outside_every_bound_group_is_only_a_viewer if {
	r := roles.roles with input as principal("user:default/visitor", ["group:default/partners"])
	r == {"viewer"}
	not roles.is_admin with input as principal("user:default/visitor", ["group:default/partners"])
}

test_a_service_principal_gets_no_roles if {
	r := roles.roles with input as {"principal": {"type": "service", "ownershipEntityRefs": []}}
	count(r) == 0
}

test_a_binding_on_a_sibling_group_does_not_leak if {
	not roles.is_platform_engineer with input as principal("user:default/chloe", ["group:default/storefront"])
}
