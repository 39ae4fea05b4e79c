# The pattern for a real cloud: a namespace per environment with a quota, default limits and an
# edit binding for the owning team. Needs the hashicorp/kubernetes provider and a cluster, neither
# of which exists on the development machines: this module is checked with `tofu fmt` only.

terraform {
  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
  }
}

variable "environment_id" {
  type = string
}

variable "workdir" {
  type = string
}

variable "team_group" {
  type = string
}

variable "cpu" {
  type    = string
  default = "2"
}

variable "memory" {
  type    = string
  default = "4Gi"
}

locals {
  name = "sandbox-${replace(var.environment_id, "_", "-")}"
}

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = local.name
    labels = {
      "portal.acme.example/environment" = var.environment_id
    }
  }
}

resource "kubernetes_resource_quota_v1" "this" {
  metadata {
    name      = "sandbox-quota"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  spec {
    hard = {
      "requests.cpu"    = var.cpu
      "requests.memory" = var.memory
      "limits.cpu"      = var.cpu
      "limits.memory"   = var.memory
      pods              = "20"
    }
  }
}

resource "kubernetes_limit_range_v1" "this" {
  metadata {
    name      = "sandbox-defaults"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  spec {
    limit {
      type = "Container"
      default = {
        cpu    = "500m"
        memory = "512Mi"
      }
      default_request = {
        cpu    = "100m"
        memory = "128Mi"
      }
    }
  }
}

resource "kubernetes_role_binding_v1" "team_edit" {
  metadata {
    name      = "team-edit"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "edit"
  }
  subject {
    kind      = "Group"
    name      = var.team_group
    api_group = "rbac.authorization.k8s.io"
  }
}

output "namespace" {
  value = kubernetes_namespace_v1.this.metadata[0].name
}
