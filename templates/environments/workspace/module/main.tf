# A folder with a generated config and .env, built from terraform_data and files written by node
# (the provisioner's interpreter, so no shell is involved). Destroying it removes the folder.

variable "environment_id" {
  type = string
  validation {
    condition     = can(regex("^[a-z0-9_]{1,40}$", var.environment_id))
    error_message = "environment_id must be 1-40 lower-case letters, digits or _."
  }
}

variable "workdir" {
  type        = string
  description = "Set by the runner: the environment's own folder."
}

variable "service" {
  type    = string
  default = "demo-service"
}

variable "log_level" {
  type    = string
  default = "info"
}

variable "seed_rows" {
  type    = number
  default = 0
}

locals {
  dir = "${var.workdir}/workspace"
  config = jsonencode({
    service   = var.service
    logLevel  = var.log_level
    seedRows  = var.seed_rows
    createdBy = "portal environment ${var.environment_id}"
  })
}

resource "terraform_data" "token" {
  input = replace(uuid(), "-", "")
  lifecycle {
    ignore_changes = [input]
  }
}

resource "terraform_data" "files" {
  input = {
    dir    = local.dir
    config = local.config
  }
  triggers_replace = [local.config]

  provisioner "local-exec" {
    interpreter = ["node", "-e"]
    command     = <<-JS
      const fs = require('fs');
      const dir = process.env.WS_DIR;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(dir + '/config.json', process.env.WS_CONFIG + '\n');
      fs.writeFileSync(dir + '/.env', 'SERVICE=' + process.env.WS_SERVICE + '\nLOG_LEVEL=' + process.env.WS_LOG_LEVEL + '\nAPI_TOKEN=' + process.env.WS_TOKEN + '\n', { mode: 0o600 });
      const rows = Number(process.env.WS_SEED_ROWS);
      if (rows > 0) fs.writeFileSync(dir + '/seed.csv', Array.from({ length: rows }, (_, i) => 'row-' + i).join('\n') + '\n');
    JS
    environment = {
      WS_DIR       = local.dir
      WS_CONFIG    = local.config
      WS_SERVICE   = var.service
      WS_LOG_LEVEL = var.log_level
      WS_TOKEN     = terraform_data.token.output
      WS_SEED_ROWS = tostring(var.seed_rows)
    }
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["node", "-e"]
    command     = "require('fs').rmSync(process.env.WS_DIR, { recursive: true, force: true })"
    environment = {
      WS_DIR = self.input.dir
    }
  }
}

# Drift: the scheduled refresh-only plan reports a failed check when the files are gone.
check "files_present" {
  assert {
    condition     = fileexists("${local.dir}/config.json") && fileexists("${local.dir}/.env")
    error_message = "The workspace's config.json or .env is missing from ${local.dir}."
  }
}

output "path" {
  value = local.dir
}

output "config" {
  value = jsondecode(local.config)
}

output "api_token" {
  value     = terraform_data.token.output
  sensitive = true
}
