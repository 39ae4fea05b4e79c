# The postgres-sandbox module as it was before secrets left its variables and argv (pg_admin_url
# variable, uuid() password in state): environments created with it must still be destroyed by the
# current module (TofuRunner.test.ts). A test fixture only: it leaks its password into the log.

# A database and a login role on the platform's PostgreSQL, through psql (no shell: psql is the
# provisioner's interpreter and the SQL its one argument). The password is generated once and
# kept in state.
#
# Creating is idempotent: a run that was killed after CREATE ROLE or CREATE DATABASE but before its
# state was saved is applied again by the replica that takes it over, which adopts the role and the
# database instead of failing on "already exists" (and leaving them behind, unknown to the state).

variable "environment_id" {
  type        = string
  description = "Set by the runner: lower-case letters, digits and _."
  validation {
    condition     = can(regex("^[a-z0-9_]{1,40}$", var.environment_id))
    error_message = "environment_id must be 1-40 lower-case letters, digits or _."
  }
}

variable "workdir" {
  type = string
}

variable "pg_admin_url" {
  type        = string
  description = "Set by the runner from the backend's config: a role that may create roles and databases."
  sensitive   = true
}

variable "pg_host" {
  type    = string
  default = "127.0.0.1"
}

variable "pg_port" {
  type    = number
  default = 5432
}

variable "connection_limit" {
  type    = number
  default = 5
}

variable "extensions" {
  type    = string
  default = "none"
  validation {
    condition     = contains(["none", "pgcrypto", "citext"], var.extensions)
    error_message = "extensions must be none, pgcrypto or citext."
  }
}

locals {
  name = "env_${var.environment_id}"
}

resource "terraform_data" "password" {
  input = replace(uuid(), "-", "")
  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "role" {
  input = {
    name      = local.name
    admin_url = var.pg_admin_url
  }

  provisioner "local-exec" {
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", var.pg_admin_url, "-c"]
    command     = <<-SQL
      DO $$BEGIN
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${local.name}') THEN
          ALTER ROLE ${local.name} LOGIN PASSWORD '${terraform_data.password.output}' CONNECTION LIMIT ${var.connection_limit};
        ELSE
          CREATE ROLE ${local.name} LOGIN PASSWORD '${terraform_data.password.output}' CONNECTION LIMIT ${var.connection_limit};
        END IF;
      END$$
    SQL
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", self.input.admin_url, "-c"]
    command     = "DROP ROLE IF EXISTS ${self.input.name}"
  }
}

resource "terraform_data" "database" {
  input = {
    name      = local.name
    admin_url = var.pg_admin_url
  }
  depends_on = [terraform_data.role]

  # CREATE DATABASE cannot run in a DO block; psql's \gexec runs it only when it is missing.
  provisioner "local-exec" {
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-v", "name=${local.name}", var.pg_admin_url, "-f"]
    command     = "${path.module}/create_database.sql"
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", self.input.admin_url, "-c"]
    command     = "DROP DATABASE IF EXISTS ${self.input.name} WITH (FORCE)"
  }
}

resource "terraform_data" "extension" {
  count      = var.extensions == "none" ? 0 : 1
  depends_on = [terraform_data.database]

  provisioner "local-exec" {
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "postgresql://${local.name}:${terraform_data.password.output}@${var.pg_host}:${var.pg_port}/${local.name}", "-c"]
    command     = "CREATE EXTENSION IF NOT EXISTS ${var.extensions}"
  }
}

output "database" {
  value = local.name
}

output "role" {
  value = local.name
}

output "host" {
  value = "${var.pg_host}:${var.pg_port}"
}

output "password" {
  value     = terraform_data.password.output
  sensitive = true
}

output "connection_string" {
  value     = "postgresql://${local.name}:${terraform_data.password.output}@${var.pg_host}:${var.pg_port}/${local.name}"
  sensitive = true
}
