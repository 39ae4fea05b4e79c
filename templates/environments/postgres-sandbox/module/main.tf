# A database and a login role on the platform's PostgreSQL, through psql (no shell: psql is the
# provisioner's interpreter and an SQL file or statement its one argument).
#
# Secrets stay out of argv, out of the variables file and out of the log:
# - the admin connection reaches psql through libpq's environment (PGHOST, PGPORT, PGUSER,
#   PGPASSWORD, PGDATABASE, PGSSLMODE), which the runner derives from environments.postgres.adminUrl
#   because blueprint.yaml declares `spec.runner.env: [postgres-admin]`; it is not a variable, so it
#   is not copied into this environment's state;
# - the role's password is generated once per environment by the portal
#   (`spec.runner.generatedSecrets: [password]`), kept encrypted in its database, and passed as the
#   sensitive TF_VAR_password; psql reads it from PORTAL_ROLE_PASSWORD (role.sql, \getenv) or
#   PGPASSWORD, never from an argument. The runner redacts it from every log line anyway.
#
# Creating is idempotent: a run that was killed after CREATE ROLE or CREATE DATABASE but before its
# state was saved is applied again by the replica that takes it over, which adopts the role and the
# database instead of failing on "already exists" (and leaving them behind, unknown to the state).
#
# Environments created before this layout (with pg_admin_url in their state and a
# terraform_data.password) are destroyed by this module as they are: the destroy provisioners use
# only self.input.name and connect through the same environment.

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

variable "password" {
  type        = string
  description = "Set by the runner (TF_VAR_password): the role's password, generated once per environment."
  sensitive   = true
  validation {
    condition     = length(var.password) >= 16
    error_message = "password must be at least 16 characters."
  }
}

variable "pg_host" {
  type        = string
  description = "The host developers connect to (the outputs), and the extension step with the new role."
  default     = "127.0.0.1"
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
  psql = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse"]
}

resource "terraform_data" "role" {
  input = {
    name = local.name
  }

  provisioner "local-exec" {
    interpreter = concat(local.psql, ["-v", "name=${local.name}", "-v", "limit=${var.connection_limit}", "-f"])
    command     = "${path.module}/role.sql"
    environment = {
      PORTAL_ROLE_PASSWORD = var.password
    }
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-c"]
    command     = "DROP ROLE IF EXISTS ${self.input.name}"
  }
}

resource "terraform_data" "database" {
  input = {
    name = local.name
  }
  depends_on = [terraform_data.role]

  # CREATE DATABASE cannot run in a DO block; psql's \gexec runs it only when it is missing.
  provisioner "local-exec" {
    interpreter = concat(local.psql, ["-v", "name=${local.name}", "-f"])
    command     = "${path.module}/create_database.sql"
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-c"]
    command     = "DROP DATABASE IF EXISTS ${self.input.name} WITH (FORCE)"
  }
}

# Connects as the new role, the way the environment's users will: libpq's variables in the
# provisioner's environment override the admin connection's.
resource "terraform_data" "extension" {
  count      = var.extensions == "none" ? 0 : 1
  depends_on = [terraform_data.database]

  provisioner "local-exec" {
    interpreter = concat(local.psql, ["-c"])
    command     = "CREATE EXTENSION IF NOT EXISTS ${var.extensions}"
    environment = {
      PGHOST     = var.pg_host
      PGPORT     = tostring(var.pg_port)
      PGUSER     = local.name
      PGDATABASE = local.name
      PGPASSWORD = var.password
    }
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
  value     = var.password
  sensitive = true
}

output "connection_string" {
  value     = "postgresql://${local.name}:${var.password}@${var.pg_host}:${var.pg_port}/${local.name}"
  sensitive = true
}
