"""系统 → 用户管理 / 部门与机构: the administrator's window (services.users; admin only), one
module per page: dialog (the window and its tabs), users_page, password_dialog, archive_page,
roles_page with roles_grid, and texts (the strings of them all, context AdminDialog).

Users: the list (user name, name, department, roles, disabled, locked) and, for the user
selected, the roles (one checkbox per role stored in the database), authorization groups,
company codes and sales areas (comma lists; "*" means all); a new user gets an initial
password typed twice, a department and an organization. 停用/启用 and 重置密码 act on the
selected user.

Roles (角色): a grid of the roles stored in the database (rows) and the permissions (columns),
a check box per cell: Tab reaches the grid, the arrow keys move, Space ticks. 保存 (or Enter)
stores every changed role (services.users.set_role_permissions, one call per role); 还原 reads
them again. Unsaved changes mark the tab and are asked about before the window closes. The
ticks decide what the services allow; on the shared PostgreSQL server the database's own
grants stay fixed per shipped role (the group roles of migration 0008), which the tab says.

Departments and organizations (部门, 机构) as in the process documents: hierarchical codes
(01, 0101 under 01), the code fixed once created, the name editable.

Every refusal of a service is shown under the form, one line per problem, naming the field;
what was typed stays.
"""
