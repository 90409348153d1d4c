"""系统 → 定制: the customizing maintenance window and its pages."""
