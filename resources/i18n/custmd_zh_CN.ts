<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About custmd</source>
        <translation>关于 custmd</translation>
    </message>
    <message>
        <source>custmd — customer master data (SAP XD01 style)</source>
        <translation>custmd — 客户主数据维护（SAP XD01 风格）</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>{kind} (demo)</source>
        <translation>{kind}（演示）</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>数据库名</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>数据库用户</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>操作系统</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
</context>
<context>
    <name>AccountScreen</name>
    <message>
        <source>Accounting information</source>
        <translation>会计信息</translation>
    </message>
</context>
<context>
    <name>AddressScreen</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Search terms</source>
        <translation>搜索条款</translation>
    </message>
    <message>
        <source>Street address</source>
        <translation>街道地址</translation>
    </message>
    <message>
        <source>Communication</source>
        <translation>通讯</translation>
    </message>
</context>
<context>
    <name>AdminDialog</name>
    <message>
        <source>Users and organization - custmd</source>
        <translation>用户与组织 - custmd</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Departments and organizations</source>
        <translation>部门与机构(&amp;D)</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Ro&amp;les</source>
        <translation>角色(&amp;L)</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新用户</translation>
    </message>
    <message>
        <source>User &amp;name</source>
        <translation>用户名(&amp;N)</translation>
    </message>
    <message>
        <source>Full na&amp;me</source>
        <translation>姓名(&amp;M)</translation>
    </message>
    <message>
        <source>Initial &amp;password</source>
        <translation>初始密码(&amp;P)</translation>
    </message>
    <message>
        <source>Repeat the pass&amp;word</source>
        <translation>确认密码(&amp;W)</translation>
    </message>
    <message>
        <source>Depar&amp;tment</source>
        <translation>部门(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Organization</source>
        <translation>机构(&amp;O)</translation>
    </message>
    <message>
        <source>Authorization &amp;groups</source>
        <translation>权限组(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Company codes</source>
        <translation>公司代码(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Sales areas</source>
        <translation>销售范围(&amp;S)</translation>
    </message>
    <message>
        <source>Separate several by commas; * means all (sales area: F011/*/*)</source>
        <translation>多个值用逗号分隔；* 表示全部（销售范围：F011/*/*）</translation>
    </message>
    <message>
        <source>&amp;New user</source>
        <translation>新建用户(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>D&amp;isable</source>
        <translation>停用(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The two passwords differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>User {user} created</source>
        <translation>已创建用户 {user}</translation>
    </message>
    <message>
        <source>Authorizations of user {user} saved</source>
        <translation>已保存用户 {user} 的权限</translation>
    </message>
    <message>
        <source>User {user} disabled</source>
        <translation>已停用用户 {user}</translation>
    </message>
    <message>
        <source>User {user} enabled</source>
        <translation>已启用用户 {user}</translation>
    </message>
    <message>
        <source>The password of user {user} was reset</source>
        <translation>已重置用户 {user} 的密码</translation>
    </message>
    <message>
        <source>Reset the password of {user}</source>
        <translation>重置 {user} 的密码</translation>
    </message>
    <message>
        <source>New &amp;password</source>
        <translation>新密码(&amp;P)</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field}：{message}</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Organizations</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Parent code</source>
        <translation>上级编码</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>{code} {name} saved</source>
        <translation>已保存 {code} {name}</translation>
    </message>
    <message>
        <source>{code} deleted</source>
        <translation>已删除 {code}</translation>
    </message>
    <message>
        <source>A child&apos;s code starts with its parent&apos;s code (01 → 0101); codes never change</source>
        <translation>下级编码以上级编码开头（01 → 0101）；编码创建后不能更改</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <source>A tick decides what the app&apos;s services allow the users of a role. On the shared PostgreSQL server the database&apos;s own grants are fixed per shipped role (group roles custmd_*) and do not change here: the server still refuses what they do not allow.</source>
        <translation>勾选决定应用的服务允许该角色的用户做什么。在共享 PostgreSQL 服务器上，数据库自身的授权按预置角色固定（组角色 custmd_*），不会因此处的勾选而改变：服务器仍会拒绝这些授权之外的操作。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Roles saved: {roles}</source>
        <translation>已保存角色：{roles}</translation>
    </message>
    <message>
        <source>No changes to save</source>
        <translation>没有需要保存的更改</translation>
    </message>
    <message>
        <source>The roles were read again</source>
        <translation>已重新读取角色</translation>
    </message>
    <message>
        <source>Role {code}</source>
        <translation>角色 {code}</translation>
    </message>
    <message>
        <source>{text} (permission {code})</source>
        <translation>{text}（权限 {code}）</translation>
    </message>
    <message>
        <source>The changes to the roles are not saved and will be lost. Close anyway?</source>
        <translation>角色的更改尚未保存，将会丢失。仍要关闭吗？</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Back up the database - custmd</source>
        <translation>备份数据库 - custmd</translation>
    </message>
    <message>
        <source>Restore the database - custmd</source>
        <translation>恢复数据库 - custmd</translation>
    </message>
    <message>
        <source>Backup &amp;file:</source>
        <translation>备份文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>custmd backups (*.custmd-backup)</source>
        <translation>custmd 备份 (*.custmd-backup)</translation>
    </message>
    <message>
        <source>Back &amp;up</source>
        <translation>备份(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Writes the whole database ({db}) into one file: customers, change documents, users and roles, the usage register, customizing and number ranges. It may be taken while others work.
Automatic backups of a local database (one a day, the last 7): {folder}</source>
        <translation>把整个数据库（{db}）写入一个文件：客户、更改凭证、用户和角色、业务使用登记、配置和号码范围。其他人工作时也可以备份。
本地数据库的自动备份（每天一份，保留最近 7 份）：{folder}</translation>
    </message>
    <message>
        <source>Replaces the database {db} with the backup once the backup has been checked; the replaced file is kept as {kept}. The database is opened again afterwards (sign in again).</source>
        <translation>备份校验无误后，用它替换数据库 {db}；被替换的文件保留为 {kept}。之后重新打开数据库（需重新登录）。</translation>
    </message>
    <message>
        <source>A shared PostgreSQL database is restored by the administrator into a new, empty database (createdb), never over the one in use:
custmd db restore FILE --db postgresql://user@host/new_database</source>
        <translation>共享的 PostgreSQL 数据库由管理员恢复到一个新的空数据库（createdb），从不覆盖正在使用的数据库：
custmd db restore 文件 --db postgresql://用户@主机/新数据库</translation>
    </message>
    <message>
        <source>Backup file: enter or choose a file</source>
        <translation>备份文件：请输入或选择一个文件</translation>
    </message>
    <message>
        <source>Backup written: {file} ({customers} customers, schema {revision})</source>
        <translation>备份已写入：{file}（{customers} 个客户，结构版本 {revision}）</translation>
    </message>
    <message>
        <source>Restored: {customers} customers from the backup of {created}. The replaced database is kept as {kept}.</source>
        <translation>已恢复：{created} 的备份，{customers} 个客户。被替换的数据库保留为 {kept}。</translation>
    </message>
    <message>
        <source>Restored: {customers} customers from the backup of {created}.</source>
        <translation>已恢复：{created} 的备份，{customers} 个客户。</translation>
    </message>
    <message>
        <source>Restore the database</source>
        <translation>恢复数据库</translation>
    </message>
    <message>
        <source>Replace the database with the backup of {created} ({customers} customers)?</source>
        <translation>用 {created} 的备份（{customers} 个客户）替换数据库？</translation>
    </message>
    <message>
        <source>Changes made since the backup are no longer in the database (the replaced file is kept as {kept}). Open windows are closed, and the database is opened again afterwards.</source>
        <translation>备份之后所做的更改将不在数据库中（被替换的文件保留为 {kept}）。打开的窗口将被关闭，之后重新打开数据库。</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Do not restore</source>
        <translation>不恢复(&amp;N)</translation>
    </message>
    <message>
        <source>Restore cancelled: a window kept its data</source>
        <translation>恢复已取消：有窗口保留了未保存的数据</translation>
    </message>
    <message>
        <source>Automatic backup failed: {error}</source>
        <translation>自动备份失败：{error}</translation>
    </message>
</context>
<context>
    <name>BillingScreen</name>
    <message>
        <source>Delivery and payment terms</source>
        <translation>交货和付款条款</translation>
    </message>
    <message>
        <source>Accounting</source>
        <translation>会计</translation>
    </message>
    <message>
        <source>Taxes</source>
        <translation>税分类</translation>
    </message>
</context>
<context>
    <name>ChangeDocumentsDialog</name>
    <message>
        <source>Customer change documents (XD04)</source>
        <translation>客户更改凭证 (XD04)</translation>
    </message>
    <message>
        <source>&amp;Customer:</source>
        <translation>客户(&amp;C)：</translation>
    </message>
    <message>
        <source>Customer number; F4 searches by name, city, …</source>
        <translation>客户编号；按 F4 可按名称、城市等搜索</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Field:</source>
        <translation>字段(&amp;F)：</translation>
    </message>
    <message>
        <source>Only this field; type part of its name or technical name</source>
        <translation>只看此字段；可输入名称或技术名称的一部分</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>从(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <source>Empty means no limit; Delete empties it, Alt+Down opens the calendar</source>
        <translation>为空表示不限；Delete 键清空，Alt+↓ 打开日历</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>&amp;Activity:</source>
        <translation>活动(&amp;A)：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Extend</source>
        <translation>扩展</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Ctrl+C copies the selected lines</source>
        <translation>Ctrl+C 复制所选行</translation>
    </message>
    <message>
        <source>Enter a customer number (F4 searches)</source>
        <translation>请输入客户编号（按 F4 搜索）</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>全部字段</translation>
    </message>
    <message numerus="yes">
        <source>%n change documents</source>
        <translation>
            <numerusform>%n 个更改凭证</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message numerus="yes">
        <source>%n lines</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>No change documents match the selection</source>
        <translation>没有符合条件的更改凭证</translation>
    </message>
    <message>
        <source>No field matches “{text}”</source>
        <translation>没有与“{text}”匹配的字段</translation>
    </message>
    <message numerus="yes">
        <source>%n lines copied</source>
        <translation>
            <numerusform>已复制 %n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChangeDocumentsModel</name>
    <message>
        <source>Date and time</source>
        <translation>日期和时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Transaction</source>
        <translation>事务代码</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>数据段</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Technical name</source>
        <translation>技术名称</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>旧值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>General data</source>
        <translation>一般数据</translation>
    </message>
    <message>
        <source>Bank details {key}</source>
        <translation>银行明细 {key}</translation>
    </message>
    <message>
        <source>Company code {code}</source>
        <translation>公司代码 {code}</translation>
    </message>
    <message>
        <source>Sales area {area}</source>
        <translation>销售范围 {area}</translation>
    </message>
    <message>
        <source>Tax classification {key}</source>
        <translation>税分类 {key}</translation>
    </message>
    <message>
        <source>Partner {key}</source>
        <translation>合伙人 {key}</translation>
    </message>
    <message>
        <source>Customer created</source>
        <translation>已创建客户</translation>
    </message>
    <message>
        <source>Customer extended</source>
        <translation>已扩展客户</translation>
    </message>
    <message>
        <source>Fields filled: %n; choose a field in the filter to see its first value</source>
        <translation>已填写 %n 个字段；在筛选中选择字段可查看其初始值</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Code {code} is not (or no longer) in the customizing</source>
        <translation>代码 {code} 在定制中不存在（或已删除）</translation>
    </message>
</context>
<context>
    <name>CompanyPaymentScreen</name>
    <message>
        <source>Payment data</source>
        <translation>付款数据</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Sync conflicts - custmd</source>
        <translation>同步冲突 - custmd</translation>
    </message>
    <message>
        <source>These changes made offline clash with changes on the server; nothing of them was applied. Choose per line which value stays.</source>
        <translation>这些离线更改与服务器上的更改冲突，均未应用。请逐行选择保留哪个值。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>Mine (offline)</source>
        <translation>本机值（离线）</translation>
    </message>
    <message>
        <source>Theirs (server)</source>
        <translation>服务器值</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>(whole change)</source>
        <translation>（整个更改）</translation>
    </message>
    <message>
        <source>Changed on both sides</source>
        <translation>双方都更改了此字段</translation>
    </message>
    <message>
        <source>Take &amp;mine</source>
        <translation>采用本机值(&amp;M)</translation>
    </message>
    <message>
        <source>Take &amp;theirs</source>
        <translation>采用服务器值(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Only a field&apos;s conflict can be edited</source>
        <translation>只有字段冲突可以编辑</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Edit the value - custmd</source>
        <translation>编辑值 - custmd</translation>
    </message>
    <message>
        <source>{field}:</source>
        <translation>{field}：</translation>
    </message>
    <message>
        <source>No conflicts left</source>
        <translation>没有待解决的冲突了</translation>
    </message>
    <message>
        <source>Resolved: customer {customer}, {field}</source>
        <translation>已解决：客户 {customer}，{field}</translation>
    </message>
</context>
<context>
    <name>ControlScreen</name>
    <message>
        <source>Account control</source>
        <translation>帐户控制</translation>
    </message>
    <message>
        <source>Tax information</source>
        <translation>税收信息</translation>
    </message>
</context>
<context>
    <name>CustomerNumberField</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Search for a customer (F4)</source>
        <translation>搜索客户 (F4)</translation>
    </message>
</context>
<context>
    <name>CustomerWizard</name>
    <message>
        <source>General data</source>
        <translation>一般数据</translation>
    </message>
    <message>
        <source>Company code data {code}</source>
        <translation>公司代码数据 {code}</translation>
    </message>
    <message>
        <source>Sales area data {area}</source>
        <translation>销售范围数据 {area}</translation>
    </message>
    <message>
        <source>Previous screen (Ctrl+PgUp)</source>
        <translation>上一屏 (Ctrl+PgUp)</translation>
    </message>
    <message>
        <source>Check / next (Enter)</source>
        <translation>检查 / 下一屏 (Enter)</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Reference: the data of this customer are copied</source>
        <translation>参考：复制该客户的数据</translation>
    </message>
    <message>
        <source>Initial screen</source>
        <translation>初始屏幕</translation>
    </message>
    <message>
        <source>This screen has errors</source>
        <translation>此屏幕有错误</translation>
    </message>
    <message>
        <source>Display customer: initial screen</source>
        <translation>显示客户：初始屏幕</translation>
    </message>
    <message>
        <source>Display customer (XD03)</source>
        <translation>显示客户 (XD03)</translation>
    </message>
    <message>
        <source>Change customer: initial screen</source>
        <translation>更改客户：初始屏幕</translation>
    </message>
    <message>
        <source>Change customer (XD02)</source>
        <translation>更改客户 (XD02)</translation>
    </message>
    <message>
        <source>Create customer: initial screen</source>
        <translation>创建客户：初始屏幕</translation>
    </message>
    <message>
        <source>Create customer (XD01)</source>
        <translation>创建客户 (XD01)</translation>
    </message>
    <message>
        <source>Display customer</source>
        <translation>显示客户</translation>
    </message>
    <message>
        <source>Change customer</source>
        <translation>更改客户</translation>
    </message>
    <message>
        <source>Extend customer</source>
        <translation>扩展客户</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>创建客户</translation>
    </message>
    <message>
        <source>(internal number)</source>
        <translation>（内部给号）</translation>
    </message>
    <message>
        <source>{mode}: {customer}</source>
        <translation>{mode}：{customer}</translation>
    </message>
    <message>
        <source>Order block {code}</source>
        <translation>订单冻结 {code}</translation>
    </message>
    <message>
        <source>Delivery block {code}</source>
        <translation>交货冻结 {code}</translation>
    </message>
    <message>
        <source>Billing block {code}</source>
        <translation>开票冻结 {code}</translation>
    </message>
    <message>
        <source>Posting block (all company codes)</source>
        <translation>记账冻结（所有公司代码）</translation>
    </message>
    <message>
        <source>Flagged for deletion</source>
        <translation>已标记删除</translation>
    </message>
    <message>
        <source>Posting block in {code}</source>
        <translation>公司代码 {code} 记账冻结</translation>
    </message>
    <message>
        <source>Flagged for deletion in {code}</source>
        <translation>公司代码 {code} 已标记删除</translation>
    </message>
    <message>
        <source>Order block {code} in {area}</source>
        <translation>销售范围 {area} 订单冻结 {code}</translation>
    </message>
    <message>
        <source>Delivery block {code} in {area}</source>
        <translation>销售范围 {area} 交货冻结 {code}</translation>
    </message>
    <message>
        <source>Billing block {code} in {area}</source>
        <translation>销售范围 {area} 开票冻结 {code}</translation>
    </message>
    <message>
        <source>Flagged for deletion in {area}</source>
        <translation>销售范围 {area} 已标记删除</translation>
    </message>
    <message>
        <source>Customer locked</source>
        <translation>客户已锁定</translation>
    </message>
    <message>
        <source>Display the customer instead?</source>
        <translation>改为显示该客户？</translation>
    </message>
    <message>
        <source>Not shown for the new keys, would be discarded: %1</source>
        <translation>在新的键值下不显示，将被放弃：%1</translation>
    </message>
    <message>
        <source>Typed data</source>
        <translation>已输入的数据</translation>
    </message>
    <message>
        <source>The corrected initial screen does not take everything typed so far:</source>
        <translation>更正后的初始屏幕不能直接沿用已输入的全部数据：</translation>
    </message>
    <message>
        <source>Take what was typed over to the new keys?</source>
        <translation>将已输入的数据沿用到新的键值吗？</translation>
    </message>
    <message>
        <source>&amp;Keep and take over</source>
        <translation>保留并沿用(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel: correct the initial screen</source>
        <translation>取消，继续更正初始屏幕(&amp;C)</translation>
    </message>
    <message>
        <source>Company code %1 → %2: %3 field(s) typed</source>
        <translation>公司代码 %1 → %2：已输入 %3 个字段</translation>
    </message>
    <message>
        <source>Sales area %1 → %2: %3 field(s) typed</source>
        <translation>销售范围 %1 → %2：已输入 %3 个字段</translation>
    </message>
    <message>
        <source>Customer %1 → %2: %3 field(s) typed</source>
        <translation>客户 %1 → %2：已输入 %3 个字段</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>更改原因</translation>
    </message>
    <message>
        <source>&amp;Why is the customer changed?</source>
        <translation>请填写更改客户的原因(&amp;W)：</translation>
    </message>
    <message>
        <source>Resubmit request (Ctrl+S)</source>
        <translation>重新提交申请 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Submit request (Ctrl+S)</source>
        <translation>提交申请 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Request {number}</source>
        <translation>申请 {number}</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s): click a message (or Ctrl+M, Enter) to go to its field</source>
        <translation>
            <numerusform>%n 个问题：单击一条消息（或按 Ctrl+M 再按回车）即可跳到相应字段</numerusform>
        </translation>
    </message>
    <message>
        <source>Please check the warnings; press Enter again to continue</source>
        <translation>请检查警告；再次按 Enter 继续</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) on this screen</source>
        <translation>
            <numerusform>此屏幕有 %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Last screen checked; press Ctrl+S to save</source>
        <translation>最后一屏已检查；按 Ctrl+S 保存</translation>
    </message>
    <message>
        <source>What was typed is kept: correct the initial screen and press Enter</source>
        <translation>已输入的数据已保留：请更正初始屏幕后按 Enter</translation>
    </message>
    <message>
        <source>Unsaved data</source>
        <translation>未保存的数据</translation>
    </message>
    <message>
        <source>Unsaved data will be lost. Leave anyway?</source>
        <translation>未保存的数据将丢失。仍要离开吗？</translation>
    </message>
    <message>
        <source>No value help for this field</source>
        <translation>此字段没有输入帮助</translation>
    </message>
    <message>
        <source>Value help: {field}</source>
        <translation>输入帮助：{field}</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Help: {field}</source>
        <translation>帮助：{field}</translation>
    </message>
    <message>
        <source>Correct request {number}, then press Ctrl+S to submit it again</source>
        <translation>修改申请 {number}，然后按 Ctrl+S 重新提交</translation>
    </message>
    <message>
        <source>Submit request</source>
        <translation>提交申请</translation>
    </message>
    <message>
        <source>&amp;Reason for the request:</source>
        <translation>申请原因(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>CustomizingDialog</name>
    <message>
        <source>Customizing - custmd</source>
        <translation>定制 - custmd</translation>
    </message>
    <message>
        <source>&amp;Code lists</source>
        <translation>代码表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Account groups</source>
        <translation>科目组(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Number ranges</source>
        <translation>编号范围(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Field status</source>
        <translation>字段状态(&amp;F)</translation>
    </message>
    <message>
        <source>Change &amp;documents</source>
        <translation>更改凭证(&amp;D)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>上级代码</translation>
    </message>
    <message>
        <source>Chinese text</source>
        <translation>中文文本</translation>
    </message>
    <message>
        <source>English text</source>
        <translation>英文文本</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Number range</source>
        <translation>编号范围</translation>
    </message>
    <message>
        <source>Reconciliation account</source>
        <translation>统驭科目</translation>
    </message>
    <message>
        <source>Numbering</source>
        <translation>编号方式</translation>
    </message>
    <message>
        <source>From number</source>
        <translation>起始号码</translation>
    </message>
    <message>
        <source>To number</source>
        <translation>结束号码</translation>
    </message>
    <message>
        <source>External rule</source>
        <translation>外部规则</translation>
    </message>
    <message>
        <source>Current number</source>
        <translation>当前号码</translation>
    </message>
    <message>
        <source>Field group</source>
        <translation>字段组</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Result: {activity}</source>
        <translation>结果：{activity}</translation>
    </message>
    <message>
        <source>Changed at</source>
        <translation>更改时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>旧值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>external</source>
        <translation>外部</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必输</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Value help of: {fields}</source>
        <translation>用作以下字段的值帮助：{fields}</translation>
    </message>
    <message>
        <source>Used by no field of the catalog</source>
        <translation>没有字段使用此代码表</translation>
    </message>
    <message>
        <source>Account &amp;group</source>
        <translation>科目组(&amp;G)</translation>
    </message>
    <message>
        <source>The result combines the account group&apos;s status with the activity&apos;s: suppressed &gt; display &gt; required &gt; optional; display shows every field read-only.</source>
        <translation>结果由科目组的状态与活动的状态合并而成：隐藏 &gt; 显示 &gt; 必输 &gt; 可选；显示活动中所有字段只读。</translation>
    </message>
    <message>
        <source>New &amp;entry</source>
        <translation>新建条目(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>删除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Where used</source>
        <translation>使用情况(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{n} entries saved</source>
        <translation>已保存 {n} 个条目</translation>
    </message>
    <message>
        <source>Nothing changed</source>
        <translation>没有更改</translation>
    </message>
    <message>
        <source>{code} deleted</source>
        <translation>{code} 已删除</translation>
    </message>
    <message>
        <source>{code} is used by no customer</source>
        <translation>{code} 没有被任何客户使用</translation>
    </message>
    <message>
        <source>{code} is used by {n} customers ({numbers}) in {fields}</source>
        <translation>{code} 被 {n} 个客户使用（{numbers}），字段 {fields}</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Export customizing</source>
        <translation>导出定制</translation>
    </message>
    <message>
        <source>Import customizing</source>
        <translation>导入定制</translation>
    </message>
    <message>
        <source>Customizing (*.yaml *.yml)</source>
        <translation>定制文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation>{file}：{error}</translation>
    </message>
    <message>
        <source>Exported to {file}</source>
        <translation>已导出到 {file}</translation>
    </message>
    <message>
        <source>Import this file? {summary}

The details list every change.</source>
        <translation>导入此文件吗？{summary}

详细信息列出每一项更改。</translation>
    </message>
    <message>
        <source>Export: on the code lists page the list shown, on the other pages everything</source>
        <translation>导出：在代码表页导出当前代码表，在其他页导出全部定制</translation>
    </message>
    <message>
        <source>C&amp;hange documents</source>
        <translation>更改凭证(&amp;H)</translation>
    </message>
    <message>
        <source>The change documents of the entry chosen on this page</source>
        <translation>本页所选条目的更改凭证</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>表(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Key starts with</source>
        <translation>键的开头(&amp;K)</translation>
    </message>
    <message>
        <source>e.g. payment_terms:Z030</source>
        <translation>例如 payment_terms:Z030</translation>
    </message>
    <message>
        <source>All tables</source>
        <translation>所有表</translation>
    </message>
    <message>
        <source>Code list values</source>
        <translation>代码表的值</translation>
    </message>
    <message>
        <source>Code lists</source>
        <translation>代码表</translation>
    </message>
    <message>
        <source>Account groups</source>
        <translation>科目组</translation>
    </message>
    <message>
        <source>Field status</source>
        <translation>字段状态</translation>
    </message>
    <message>
        <source>Number ranges</source>
        <translation>编号范围</translation>
    </message>
    <message>
        <source>Select an entry first</source>
        <translation>请先选择一个条目</translation>
    </message>
    <message>
        <source>Row {row}: attributes are written key=value; key=value</source>
        <translation>第 {row} 行：属性的写法为 键=值；键=值</translation>
    </message>
</context>
<context>
    <name>DeletionDialog</name>
    <message>
        <source>Delete customers - custmd</source>
        <translation>删除客户 - custmd</translation>
    </message>
    <message>
        <source>Deletes customers physically: only those flagged for deletion (XD06) that have no business in the usage register, are nobody&apos;s partner and are not open in XD02. Each is archived first as a JSON file. If one customer cannot be deleted, none is.</source>
        <translation>物理删除客户：只删除设置了删除标记（XD06）、在业务使用记录中没有业务、不是其他客户的合伙人、且没有在 XD02 中打开的客户。删除前每个客户都先归档为 JSON 文件。只要有一个客户不能删除，就一个也不删除。</translation>
    </message>
    <message>
        <source>&amp;Customers:</source>
        <translation>客户(&amp;C)：</translation>
    </message>
    <message>
        <source>Numbers separated by commas or spaces; F4 lists the flagged ones</source>
        <translation>多个编号用逗号或空格分隔；按 F4 列出有删除标记的客户</translation>
    </message>
    <message>
        <source>Customers flagged for deletion (F4)</source>
        <translation>有删除标记的客户（F4）</translation>
    </message>
    <message>
        <source>&amp;Archive folder:</source>
        <translation>归档文件夹(&amp;A)：</translation>
    </message>
    <message>
        <source>Each customer is written here as a JSON file before it is removed</source>
        <translation>每个客户在删除前都以 JSON 文件保存到这里</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the archive folder</source>
        <translation>选择归档文件夹</translation>
    </message>
    <message>
        <source>Co&amp;mment:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>Required: why (e.g. created twice by mistake)</source>
        <translation>必填：删除原因（例如：重复建档）</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Archive file</source>
        <translation>归档文件</translation>
    </message>
    <message>
        <source>Delete customers</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <source>Each is archived first, to:
{folder}

This cannot be undone in the app; an archive file can only be created again as a new customer.</source>
        <translation>每个客户都先归档到：
{folder}

删除后在本程序中无法撤销；归档文件只能重新创建为新客户。</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Do &amp;not delete</source>
        <translation>不删除(&amp;N)</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Nothing was deleted</source>
        <translation>没有删除任何客户</translation>
    </message>
    <message>
        <source>Nothing was deleted:</source>
        <translation>没有删除任何客户：</translation>
    </message>
    <message>
        <source>Choose the folder for the archive files</source>
        <translation>请选择存放归档文件的文件夹</translation>
    </message>
    <message>
        <source>Enter the folder&apos;s full path (for example {example})</source>
        <translation>请输入文件夹的完整路径（例如 {example}）</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field}：{message}</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n customer(s) physically: {numbers}?</source>
        <translation>
            <numerusform>物理删除以下 %n 个客户：{numbers}？</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <source>Possible duplicates</source>
        <translation>可能重复的客户</translation>
    </message>
    <message>
        <source>These customers already exist and may be the one you are creating. Check them before you save.</source>
        <translation>以下客户已存在，可能就是您正在创建的客户。保存前请核对。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>&amp;Continue saving</source>
        <translation>继续保存(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Open the existing customer</source>
        <translation>打开现有客户(&amp;O)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>User guide - custmd</source>
        <translation>用户手册 - custmd</translation>
    </message>
    <message>
        <source>&amp;Find:</source>
        <translation>查找(&amp;F)：</translation>
    </message>
    <message>
        <source>Search the guide</source>
        <translation>在手册中查找</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>上一个(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>{current} of {total}</source>
        <translation>第 {current} 处，共 {total} 处</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import customers - custmd</source>
        <translation>导入客户 - custmd</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>A filled template: XLSX, CSV, or a folder of CSV files</source>
        <translation>填好的模板：XLSX、CSV 或 CSV 文件所在的文件夹</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the filled template</source>
        <translation>选择填好的模板</translation>
    </message>
    <message>
        <source>Templates (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv);;All files (*)</source>
        <translation>模板 (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Write the template with custmd template. Customers are recognised by the previous account number (KNA1-ALTKN), else by their number: a second import updates or skips them, never creates them twice.</source>
        <translation>模板用 custmd template 生成。客户按原客户编号（KNA1-ALTKN）识别，没有时按客户编号：再次导入同一文件时更新或跳过，绝不重复创建。</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>方式(&amp;M)：</translation>
    </message>
    <message>
        <source>Create new, update stored customers</source>
        <translation>创建新客户，更新已有客户</translation>
    </message>
    <message>
        <source>Create new customers only (skip stored)</source>
        <translation>只创建新客户（跳过已有客户）</translation>
    </message>
    <message>
        <source>Update stored customers only</source>
        <translation>只更新已有客户</translation>
    </message>
    <message>
        <source>&amp;Test only (write nothing)</source>
        <translation>试运行(&amp;T)（只检查，不写入）</translation>
    </message>
    <message>
        <source>Import the customers &amp;without errors</source>
        <translation>只导入无误的客户(&amp;W)</translation>
    </message>
    <message>
        <source>Without this, nothing is written while any row has an error; with it, the customers without errors are written and the others are listed</source>
        <translation>不勾选时，只要有一行出错就什么都不写入；勾选后写入无误的客户，列出其余客户的错误</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Give the file to import.</source>
        <translation>请指定要导入的文件。</translation>
    </message>
    <message>
        <source>Cancelled: the customers written so far stay; import the file again to continue.</source>
        <translation>已取消：已写入的客户保留；再次导入该文件即可继续。</translation>
    </message>
    <message>
        <source>The rows with errors were written to {file}: correct them there and import that file.</source>
        <translation>出错的行已写入 {file}：请在其中改正后导入该文件。</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
</context>
<context>
    <name>InitialScreen</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Sales area</source>
        <translation>销售范围</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考</translation>
    </message>
    <message>
        <source>Company code</source>
        <translation>公司代码</translation>
    </message>
    <message>
        <source>Sales organization</source>
        <translation>销售组织</translation>
    </message>
    <message>
        <source>Distribution channel</source>
        <translation>分销渠道</translation>
    </message>
    <message>
        <source>Division</source>
        <translation>产品组</translation>
    </message>
</context>
<context>
    <name>KpiDashboard</name>
    <message>
        <source>Master data KPIs</source>
        <translation>主数据 KPI</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>至(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;By</source>
        <translation>按(&amp;B)</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>分公司</translation>
    </message>
    <message>
        <source>Company code</source>
        <translation>公司代码</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>导出 XLSX(&amp;X)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Completeness and accuracy per month</source>
        <translation>完整性与准确性（每月）</translation>
    </message>
    <message>
        <source>Submit → active (hours)</source>
        <translation>提交→生效（小时）</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>P90</translation>
    </message>
    <message>
        <source>{n} months: {s} requests first submitted, {a} approved, {c} activated</source>
        <translation>{n} 个月：首次提交 {s} 个申请，批准 {a} 个，生效 {c} 个</translation>
    </message>
    <message>
        <source>Reading {first} to {last}…</source>
        <translation>正在读取 {first} 至 {last} 的申请…</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>LengthGuard</name>
    <message>
        <source>%1 takes at most %2 characters; with this input it would have %3, so it was not taken (nothing was cut).</source>
        <translation>%1最多 %2 个字符；这次输入后会有 %3 个字符，因此没有接受这次输入（没有截断任何内容）。</translation>
    </message>
    <message>
        <source> Put the rest into %1.</source>
        <translation>超出的部分请填入%1。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>ListExport</name>
    <message>
        <source>Export the customer list</source>
        <translation>导出客户列表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting the customer list… {n} customers</source>
        <translation>正在导出客户列表… {n} 个客户</translation>
    </message>
    <message>
        <source>{n} customers exported to {file}</source>
        <translation>已导出 {n} 个客户到 {file}</translation>
    </message>
    <message>
        <source>{file}: cannot write: {reason}</source>
        <translation>{file}：无法写入：{reason}</translation>
    </message>
    <message>
        <source>The database is not open yet</source>
        <translation>数据库尚未打开</translation>
    </message>
    <message>
        <source>Look in:</source>
        <translation>查找范围：</translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation>文件类型：</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in - custmd</source>
        <translation>登录 - custmd</translation>
    </message>
    <message>
        <source>Log in to the database {db}</source>
        <translation>登录数据库 {db}</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Remember the password</source>
        <translation>记住密码(&amp;R)</translation>
    </message>
    <message>
        <source>Kept in the operating system&apos;s keyring only, never in a file</source>
        <translation>只保存在操作系统的密钥环中，绝不写入文件</translation>
    </message>
    <message>
        <source>There is no keyring on this computer: the password cannot be remembered</source>
        <translation>本机没有可用的密钥环：无法记住密码</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>登录(&amp;L)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>User name: enter your user name</source>
        <translation>用户名：请输入用户名</translation>
    </message>
    <message>
        <source>Password: enter your password</source>
        <translation>密码：请输入密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Customer master data - custmd</source>
        <translation>客户主数据 - custmd</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Work &amp;offline…</source>
        <translation>离线工作(&amp;O)…</translation>
    </message>
    <message>
        <source>S&amp;ynchronize</source>
        <translation>同步(&amp;Y)</translation>
    </message>
    <message>
        <source>Offline · last sync {time}</source>
        <translation>离线 · 上次同步：{time}</translation>
    </message>
    <message>
        <source>{title} (offline, last sync {time})</source>
        <translation>{title}（离线，上次同步：{time}）</translation>
    </message>
    <message>
        <source>{waiting} changes waiting for the sync, {conflicts} conflicts</source>
        <translation>{waiting} 项更改等待同步，{conflicts} 个冲突</translation>
    </message>
    <message>
        <source>Only a shared PostgreSQL database can be taken offline</source>
        <translation>只有共享的 PostgreSQL 数据库可以离线工作</translation>
    </message>
    <message>
        <source>This window already works on an offline replica</source>
        <translation>此窗口已在离线副本上工作</translation>
    </message>
    <message>
        <source>Only an offline replica is synchronized (File → Work offline…)</source>
        <translation>只有离线副本需要同步（文件 → 离线工作…）</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>客户(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Create… (XD01)</source>
        <translation>创建(&amp;C)… (XD01)</translation>
    </message>
    <message>
        <source>&amp;Display… (XD03)</source>
        <translation>显示(&amp;D)… (XD03)</translation>
    </message>
    <message>
        <source>C&amp;hange… (XD02)</source>
        <translation>更改(&amp;H)… (XD02)</translation>
    </message>
    <message>
        <source>Change d&amp;ocuments… (XD04)</source>
        <translation>更改凭证(&amp;O)… (XD04)</translation>
    </message>
    <message>
        <source>&amp;Block/unblock… (XD05)</source>
        <translation>冻结/解冻(&amp;B)… (XD05)</translation>
    </message>
    <message>
        <source>Deletion f&amp;lags… (XD06)</source>
        <translation>删除标记(&amp;L)… (XD06)</translation>
    </message>
    <message>
        <source>&amp;Mass block/unblock…</source>
        <translation>批量冻结/解冻(&amp;M)…</translation>
    </message>
    <message>
        <source>E&amp;xport list…</source>
        <translation>导出列表(&amp;X)…</translation>
    </message>
    <message>
        <source>Standard toolbar</source>
        <translation>标准工具栏</translation>
    </message>
    <message>
        <source>Transaction code</source>
        <translation>事务代码</translation>
    </message>
    <message>
        <source>Command field (Ctrl+/): type a transaction code such as XD02 (or /nXD02) and press Enter</source>
        <translation>命令字段（Ctrl+/）：输入事务代码，如 XD02（或 /nXD02），然后按回车</translation>
    </message>
    <message>
        <source>Transaction {code} does not exist</source>
        <translation>事务代码 {code} 不存在</translation>
    </message>
    <message>
        <source>You are not authorized to use transaction {code}</source>
        <translation>您没有使用事务 {code} 的权限</translation>
    </message>
    <message>
        <source>Select the customers in the list first</source>
        <translation>请先在列表中选择客户</translation>
    </message>
    <message>
        <source>S&amp;ystem</source>
        <translation>系统(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Departments and organizations…</source>
        <translation>部门与机构(&amp;D)…</translation>
    </message>
    <message>
        <source>Cu&amp;stomizing…</source>
        <translation>定制(&amp;S)…</translation>
    </message>
    <message>
        <source>I&amp;mport customers…</source>
        <translation>导入客户(&amp;M)…</translation>
    </message>
    <message>
        <source>Master data &amp;KPIs…</source>
        <translation>主数据 KPI(&amp;K)…</translation>
    </message>
    <message>
        <source>Maintenance &amp;requests…</source>
        <translation>维护申请(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Import usage register…</source>
        <translation>导入业务使用记录(&amp;I)…</translation>
    </message>
    <message>
        <source>Delete &amp;customers…</source>
        <translation>删除客户(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>User: {user}</source>
        <translation>用户：{user}</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>用户手册(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts - custmd</source>
        <translation>快捷键 - custmd</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Main window (customer list)</source>
        <translation>主窗口（客户列表）</translation>
    </message>
    <message>
        <source>Customer window (XD01 create, XD02 change, XD03 display)</source>
        <translation>客户窗口（XD01 创建、XD02 更改、XD03 显示）</translation>
    </message>
    <message>
        <source>To the search field, its text selected</source>
        <translation>跳到搜索栏，选中其内容</translation>
    </message>
    <message>
        <source>Open the menu {menu}</source>
        <translation>打开菜单“{menu}”</translation>
    </message>
    <message>
        <source>{n}+ customers found</source>
        <translation>{n}+ 个客户</translation>
    </message>
    <message>
        <source>No customer found</source>
        <translation>没有找到客户</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Search term</source>
        <translation>搜索条款</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Account group</source>
        <translation>科目组</translation>
    </message>
    <message>
        <source>Telephone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Marked for deletion</source>
        <translation>删除标记</translation>
    </message>
    <message>
        <source>Partly blocked</source>
        <translation>部分冻结</translation>
    </message>
    <message>
        <source>Partly marked for deletion</source>
        <translation>部分删除标记</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Database: {db}</source>
        <translation>数据库：{db}</translation>
    </message>
    <message>
        <source> (demo)</source>
        <translation>（演示）</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Creating or upgrading the local database…</source>
        <translation>正在创建或升级本地数据库…</translation>
    </message>
    <message>
        <source>Creating the demo customers…</source>
        <translation>正在创建示例客户…</translation>
    </message>
    <message>
        <source>{n} customers loaded; scroll down to load more</source>
        <translation>已加载 {n} 个客户，向下滚动可加载更多</translation>
    </message>
    <message>
        <source>There are no customers in the database yet</source>
        <translation>数据库中还没有客户</translation>
    </message>
    <message>
        <source>The database schema is not current; run custmd db upgrade</source>
        <translation>数据库结构不是最新版本，请运行 custmd db upgrade</translation>
    </message>
    <message>
        <source>Cannot open the database: {error}</source>
        <translation>无法打开数据库：{error}</translation>
    </message>
    <message>
        <source>The database is not open yet</source>
        <translation>数据库尚未打开</translation>
    </message>
    <message>
        <source>The demo keeps its own database; the chosen one is used after a restart</source>
        <translation>演示版使用自己的数据库；所选数据库在下次正常启动时使用</translation>
    </message>
    <message>
        <source>Demo customer {file} could not be created: {error}</source>
        <translation>示例客户 {file} 无法创建：{error}</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>An unexpected error occurred; the details are in the log file: {path}</source>
        <translation>发生了意外错误，详细信息已写入日志文件：{path}</translation>
    </message>
    <message>
        <source>Copy &amp;report</source>
        <translation>复制报告(&amp;R)</translation>
    </message>
    <message>
        <source>The report was copied to the clipboard</source>
        <translation>报告已复制到剪贴板</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>%n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) loaded</source>
        <translation>
            <numerusform>已加载 %n 个客户</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MarketingScreen</name>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
</context>
<context>
    <name>MassStatusDialog</name>
    <message>
        <source>Mass block/unblock (XD05)</source>
        <translation>批量冻结/解冻 (XD05)</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>, …</source>
        <translation>、…</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) selected: </source>
        <translation>
            <numerusform>已选择 %n 个客户：</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Block centrally (blank = leave as it is)</source>
        <translation>中央冻结(&amp;B)（空白 = 保持不变）</translation>
    </message>
    <message>
        <source>&amp;Unblock everything (every level)</source>
        <translation>全部解冻(&amp;U)（所有级别）</translation>
    </message>
    <message>
        <source>&amp;Order block:</source>
        <translation>订单冻结(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Delivery block:</source>
        <translation>交货冻结(&amp;D)：</translation>
    </message>
    <message>
        <source>B&amp;illing block:</source>
        <translation>开票冻结(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Posting block (all company codes)</source>
        <translation>记账冻结(&amp;P)（所有公司代码）</translation>
    </message>
    <message>
        <source>Co&amp;mment:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>Required: why (e.g. overdue payments)</source>
        <translation>必填：原因（例如：逾期未付款）</translation>
    </message>
    <message>
        <source>&amp;Execute (Ctrl+S)</source>
        <translation>执行(&amp;E) (Ctrl+S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MessagePanel</name>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>数据段</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>General data</source>
        <translation>一般数据</translation>
    </message>
</context>
<context>
    <name>OfflineDialog</name>
    <message>
        <source>Work offline - custmd</source>
        <translation>离线工作 - custmd</translation>
    </message>
    <message>
        <source>Copies the customers you may see on {server}, the customizing, your rights and a block of internal numbers per account group into a file on this computer, and opens it, also at the next start. Work on it without a connection; File → Synchronize sends your changes and fetches the server&apos;s; File → Settings goes back to the server.</source>
        <translation>将您在 {server} 上可见的客户、定制、您的权限以及每个账户组的一段内部编号复制到本机的一个文件中并打开它，下次启动时也打开它。无需联网即可在其上工作；文件 → 同步会上传您的更改并取回服务器的更改；文件 → 设置可回到服务器。</translation>
    </message>
    <message>
        <source>Replica &amp;file:</source>
        <translation>副本文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Offline replicas (*.sqlite)</source>
        <translation>离线副本 (*.sqlite)</translation>
    </message>
    <message>
        <source>&amp;Numbers per block:</source>
        <translation>每段编号数(&amp;N)：</translation>
    </message>
    <message>
        <source>Internal customer numbers reserved on the server for this computer, per number range</source>
        <translation>服务器为本机预留的内部客户编号数，每个编号范围一段</translation>
    </message>
    <message>
        <source>&amp;Check out</source>
        <translation>签出(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Replica file: enter or choose a file</source>
        <translation>副本文件：请输入或选择一个文件</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <source>Copying the customers…</source>
        <translation>正在复制客户…</translation>
    </message>
    <message>
        <source>Copying the customizing…</source>
        <translation>正在复制定制…</translation>
    </message>
    <message>
        <source>Reserving number blocks…</source>
        <translation>正在预留编号段…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Checkout cancelled; no replica file was left behind</source>
        <translation>签出已取消，未留下副本文件</translation>
    </message>
    <message>
        <source>Checked out: {customers} customers into {file}; opening it…</source>
        <translation>已签出：{customers} 个客户到 {file}，正在打开…</translation>
    </message>
    <message>
        <source>Synchronize - custmd</source>
        <translation>同步 - custmd</translation>
    </message>
    <message>
        <source>Sending the offline changes ({done}/{total})…</source>
        <translation>正在上传离线更改（{done}/{total}）…</translation>
    </message>
    <message>
        <source>Fetching the server&apos;s changes…</source>
        <translation>正在取回服务器的更改…</translation>
    </message>
    <message>
        <source>Synchronized: changes sent {pushed}, fields applied {applied}, new conflicts {conflicts}, customers fetched {pulled}</source>
        <translation>同步完成：已上传 {pushed} 项更改，应用 {applied} 个字段，新冲突 {conflicts} 个，取回 {pulled} 个客户</translation>
    </message>
    <message>
        <source>Conflicts waiting to be resolved: {n}</source>
        <translation>{n} 个冲突待解决</translation>
    </message>
    <message>
        <source>&amp;Resolve conflicts…</source>
        <translation>解决冲突(&amp;R)…</translation>
    </message>
</context>
<context>
    <name>PartnerScreen</name>
    <message>
        <source>Partner functions</source>
        <translation>合伙人功能</translation>
    </message>
</context>
<context>
    <name>PaymentScreen</name>
    <message>
        <source>Bank details</source>
        <translation>银行明细</translation>
    </message>
</context>
<context>
    <name>ProposalMarks</name>
    <message>
        <source>Proposed value: type over it to change it</source>
        <translation>建议值：可直接改写</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>RequestScreens</name>
    <message>
        <source>Maintenance requests</source>
        <translation>维护申请</translation>
    </message>
    <message>
        <source>My requests</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <source>Waiting for me</source>
        <translation>待我处理</translation>
    </message>
    <message>
        <source>{name} ({n})</source>
        <translation>{name}（{n}）</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation>类型(&amp;Y)</translation>
    </message>
    <message>
        <source>(all)</source>
        <translation>（全部）</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Correct (&amp;M)…</source>
        <translation>修改(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Withdraw</source>
        <translation>撤回(&amp;W)</translation>
    </message>
    <message>
        <source>Withdraw request</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <source>Withdraw request {number}? It cannot be submitted again.</source>
        <translation>撤回申请 {number}？撤回后不能再提交。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>申请编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Org unit</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>更改时间</translation>
    </message>
    <message>
        <source>Waiting for me: {n}</source>
        <translation>待我处理 {n}</translation>
    </message>
    <message>
        <source>Request {number}</source>
        <translation>申请 {number}</translation>
    </message>
    <message>
        <source>Requested data</source>
        <translation>申请数据</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>申请值</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Duplicate check</source>
        <translation>重复检查</translation>
    </message>
    <message>
        <source>No possible duplicate found</source>
        <translation>未发现可能重复的客户</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>添加人</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>A&amp;ttach…</source>
        <translation>添加附件(&amp;T)…</translation>
    </message>
    <message>
        <source>Ope&amp;n</source>
        <translation>打开附件(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save a copy…</source>
        <translation>另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除附件(&amp;D)</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Save a copy of the attachment</source>
        <translation>附件另存为</translation>
    </message>
    <message>
        <source>Attached {name}</source>
        <translation>已添加附件 {name}</translation>
    </message>
    <message>
        <source>Removed {name}</source>
        <translation>已删除附件 {name}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>&amp;Comment / reason</source>
        <translation>意见/原因(&amp;C)</translation>
    </message>
    <message>
        <source>Enter the reason to {action}</source>
        <translation>{action}申请必须填写原因：请在“意见/原因”中填写</translation>
    </message>
    <message>
        <source>Request {number}: {status}</source>
        <translation>申请 {number}：{status}</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>{type} · {status} · requester {requester} ({org_unit}) · customer {customer}</source>
        <translation>{type} · {status} · 申请人 {requester}（{org_unit}） · 客户 {customer}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>申请原因：{reason}</translation>
    </message>
    <message>
        <source>Start re&amp;view</source>
        <translation>开始审核(&amp;V)</translation>
    </message>
    <message>
        <source>Return (&amp;B)</source>
        <translation>退回(&amp;B)</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>拒绝(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <source>Activat&amp;e</source>
        <translation>激活(&amp;E)</translation>
    </message>
    <message>
        <source>S&amp;ubmit</source>
        <translation>提交(&amp;U)</translation>
    </message>
    <message>
        <source>Res&amp;ubmit</source>
        <translation>重新提交(&amp;U)</translation>
    </message>
</context>
<context>
    <name>SalesScreen</name>
    <message>
        <source>Sales order</source>
        <translation>销售订单</translation>
    </message>
    <message>
        <source>Pricing/Statistics</source>
        <translation>定价/统计</translation>
    </message>
</context>
<context>
    <name>SavingWizard</name>
    <message>
        <source>Request {numbers} submitted</source>
        <translation>申请 {numbers} 已提交</translation>
    </message>
    <message>
        <source>Please check the warnings; press Ctrl+S again to save</source>
        <translation>请检查警告；再次按 Ctrl+S 保存</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Customer number, name, search term, initials, city, postal code, telephone or tax number (Ctrl+F)</source>
        <translation>客户编号、名称、搜索条款、助记码、城市、邮编、电话或税号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Account &amp;group:</source>
        <translation>科目组(&amp;G)：</translation>
    </message>
    <message>
        <source>Com&amp;pany code:</source>
        <translation>公司代码(&amp;P)：</translation>
    </message>
    <message>
        <source>Sales &amp;area:</source>
        <translation>销售范围(&amp;A)：</translation>
    </message>
    <message>
        <source>B&amp;locked:</source>
        <translation>冻结(&amp;L)：</translation>
    </message>
    <message>
        <source>Marked for &amp;deletion:</source>
        <translation>删除标记(&amp;D)：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Sales organization/distribution channel/division, e.g. F011/10/01</source>
        <translation>销售组织/分销渠道/产品组，例如 F011/10/01</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Local &amp;file</source>
        <translation>本地文件(&amp;F)</translation>
    </message>
    <message>
        <source>Shared &amp;PostgreSQL server</source>
        <translation>共享 PostgreSQL 服务器(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>F&amp;ile:</source>
        <translation>文件(&amp;I)：</translation>
    </message>
    <message>
        <source>Leave empty for the default file.</source>
        <translation>留空则使用默认文件。</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <source>Po&amp;rt:</source>
        <translation>端口(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>This session uses the database given at start (--db or CUSTMD_DB): %1. It is not saved as a setting. The database below is the saved one, for starts without --db; the session moves to it only if you change it here.</source>
        <translation>本次会话使用启动时指定的数据库（--db 或 CUSTMD_DB）：%1。它不会保存为设置。下面是已保存的数据库设置，用于不指定 --db 的启动；只有在这里修改了数据库设置，会话才会切换到该数据库。</translation>
    </message>
    <message>
        <source>The system keyring is not available; a password cannot be saved: %1</source>
        <translation>系统密钥环不可用，无法保存密码：%1</translation>
    </message>
    <message>
        <source>Saved in the system keyring. Type a new one to replace it.</source>
        <translation>已保存在系统密钥环中。输入新密码可替换。</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>SQLite database (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite 数据库 (*.sqlite *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Enter the host name of the PostgreSQL server.</source>
        <translation>请输入 PostgreSQL 服务器的主机名。</translation>
    </message>
    <message>
        <source>Enter the name of the database.</source>
        <translation>请输入数据库名称。</translation>
    </message>
    <message>
        <source>Enter the user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connection succeeded.</source>
        <translation>连接成功。</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>The password was not saved: the system keyring is not available (%1). Clear the password field to save the settings without it.</source>
        <translation>密码未保存：系统密钥环不可用（%1）。清空密码栏即可不带密码保存设置。</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>ShippingScreen</name>
    <message>
        <source>Shipping</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field}：{message}</translation>
    </message>
    <message>
        <source>Block/unblock customer (XD05)</source>
        <translation>冻结/解冻客户 (XD05)</translation>
    </message>
    <message>
        <source>&amp;Unblock everything</source>
        <translation>全部解冻(&amp;U)</translation>
    </message>
    <message>
        <source>Remove every block at every level (the comment is still required)</source>
        <translation>解除所有级别的全部冻结（仍需填写备注）</translation>
    </message>
    <message>
        <source>Set deletion flags (XD06)</source>
        <translation>设置删除标记 (XD06)</translation>
    </message>
    <message>
        <source>&amp;Remove every deletion flag</source>
        <translation>全部取消删除标记(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the deletion flags at every level (the comment is required)</source>
        <translation>取消所有级别的删除标记（需填写备注）</translation>
    </message>
    <message>
        <source>A customer with business data cannot be deleted, only blocked</source>
        <translation>有业务数据的客户不能删除，只能冻结</translation>
    </message>
    <message>
        <source>&amp;Customer:</source>
        <translation>客户(&amp;C)：</translation>
    </message>
    <message>
        <source>Customer number; Enter reads it, F4 searches by name, city, …</source>
        <translation>客户编号；按回车读取，按 F4 可按名称、城市等搜索</translation>
    </message>
    <message>
        <source>Co&amp;mment:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>Required: why (e.g. overdue payments)</source>
        <translation>必填：原因（例如：逾期未付款）</translation>
    </message>
    <message>
        <source>&amp;Save (Ctrl+S)</source>
        <translation>保存(&amp;S) (Ctrl+S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Order block</source>
        <translation>订单冻结</translation>
    </message>
    <message>
        <source>Delivery block</source>
        <translation>交货冻结</translation>
    </message>
    <message>
        <source>Billing block</source>
        <translation>开票冻结</translation>
    </message>
    <message>
        <source>Posting block</source>
        <translation>记账冻结</translation>
    </message>
    <message>
        <source>Deletion flag</source>
        <translation>删除标记</translation>
    </message>
    <message>
        <source>Central (all sales areas and company codes)</source>
        <translation>中央（所有销售范围和公司代码）</translation>
    </message>
    <message>
        <source>Central (the whole customer)</source>
        <translation>中央（整个客户）</translation>
    </message>
    <message>
        <source>Company code {code}</source>
        <translation>公司代码 {code}</translation>
    </message>
    <message>
        <source>Sales area {area}</source>
        <translation>销售范围 {area}</translation>
    </message>
    <message>
        <source>Block reason; empty = no block, Delete empties it</source>
        <translation>冻结原因；空白 = 不冻结，按 Delete 清空</translation>
    </message>
    <message>
        <source>Enter a customer number (F4 searches)</source>
        <translation>请输入客户编号（按 F4 搜索）</translation>
    </message>
    <message>
        <source>Press Enter to read customer {number} first</source>
        <translation>请先按回车读取客户 {number}</translation>
    </message>
</context>
<context>
    <name>UsageDialog</name>
    <message>
        <source>Usage register - custmd</source>
        <translation>业务使用记录 - custmd</translation>
    </message>
    <message>
        <source>Import an e&amp;xtract</source>
        <translation>导入文件(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Register of a customer</source>
        <translation>查询客户记录(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>The extract&apos;s path (CSV or XLSX)</source>
        <translation>ERP 导出文件的路径（CSV 或 XLSX）</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the usage extract</source>
        <translation>选择业务使用记录文件</translation>
    </message>
    <message>
        <source>Extracts (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx);;All files (*)</source>
        <translation>导出文件 (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>CSV in UTF-8 or XLSX (first sheet). The first line names the columns: KUNNR, BUKRS or VKORG, VTWEG and SPART, DOC_COUNT, LAST_DOC_DATE (or their Chinese names).</source>
        <translation>CSV（UTF-8 编码）或 XLSX（第一个工作表）。第一行是列名：KUNNR、BUKRS 或 VKORG、VTWEG 和 SPART、DOC_COUNT、LAST_DOC_DATE（也可用中文列名）。</translation>
    </message>
    <message>
        <source>Import only the rows &amp;without errors</source>
        <translation>只导入无误的行(&amp;W)</translation>
    </message>
    <message>
        <source>Without this, nothing is imported while any row has an error; with it, the rows without errors are imported and the others are listed</source>
        <translation>不勾选时，只要有一行有错误就不导入任何数据；勾选后导入没有错误的行，并列出其他行的问题</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>{letter} ({header})</source>
        <translation>{letter}（{header}）</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>{source}: {read} rows read, {imported} imported, {rejected} rejected</source>
        <translation>{source}：读取 {read} 行，导入 {imported} 行，拒绝 {rejected} 行</translation>
    </message>
    <message>
        <source>The file holds no rows; nothing was imported.</source>
        <translation>文件中没有数据行；没有导入任何数据。</translation>
    </message>
    <message>
        <source>Nothing was imported. Correct the rows and import again, or tick “Import only the rows without errors”.</source>
        <translation>没有导入任何数据。请改正后重新导入，或勾选“只导入无误的行”。</translation>
    </message>
    <message>
        <source>Nothing was imported. Correct the file and import it again.</source>
        <translation>没有导入任何数据。请改正文件后重新导入。</translation>
    </message>
    <message>
        <source>The rows without errors were imported; the rows listed with errors were not.</source>
        <translation>无误的行已导入；下面列出的有错误的行没有导入。</translation>
    </message>
    <message>
        <source>Every row was imported.</source>
        <translation>每一行都已导入。</translation>
    </message>
    <message>
        <source>Every row was imported; see the warnings below.</source>
        <translation>每一行都已导入；请查看下面的警告。</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>请选择要导入的文件</translation>
    </message>
    <message>
        <source>No such file: {path}</source>
        <translation>文件不存在：{path}</translation>
    </message>
    <message>
        <source>Cannot read the file: {error}</source>
        <translation>无法读取文件：{error}</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field}：{message}</translation>
    </message>
    <message>
        <source>&amp;Customer:</source>
        <translation>客户(&amp;C)：</translation>
    </message>
    <message>
        <source>Customer number; Enter shows its register, F4 searches by name, city, …</source>
        <translation>客户编号；按 Enter 显示其记录，按 F4 按名称、城市等搜索</translation>
    </message>
    <message>
        <source>Search for a customer (F4)</source>
        <translation>搜索客户（F4）</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>Org unit</source>
        <translation>组织单位</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>凭证数</translation>
    </message>
    <message>
        <source>Last document</source>
        <translation>最后凭证日期</translation>
    </message>
    <message>
        <source>Imported at</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>Company code</source>
        <translation>公司代码</translation>
    </message>
    <message>
        <source>Sales area</source>
        <translation>销售范围</translation>
    </message>
    <message>
        <source>Enter a customer number (F4 searches)</source>
        <translation>请输入客户编号（按 F4 搜索）</translation>
    </message>
    <message>
        <source>No business registered for customer {number}</source>
        <translation>客户 {number} 没有登记的业务</translation>
    </message>
    <message>
        <source>Customer {number}: no documents registered; it counts as unused</source>
        <translation>客户 {number}：没有登记凭证，视为未使用</translation>
    </message>
    <message numerus="yes">
        <source>Customer {number}: business in %n org unit(s)</source>
        <translation>
            <numerusform>客户 {number}：在 %n 个组织单位有业务</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueHelpDialog</name>
    <message>
        <source>Blocked</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Partly blocked</source>
        <translation>部分冻结</translation>
    </message>
    <message>
        <source>Marked for deletion</source>
        <translation>删除标记</translation>
    </message>
    <message>
        <source>Partly marked for deletion</source>
        <translation>部分删除标记</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>&amp;Search by code or text; Enter picks the selected line:</source>
        <translation>按代码或文本搜索(&amp;S)；按 Enter 选择当前行：</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WizardKeys</name>
    <message>
        <source>Check the current screen; without errors, the next one</source>
        <translation>检查当前屏幕；没有错误时进入下一屏</translation>
    </message>
    <message>
        <source>Check every screen, look for similar customers and save</source>
        <translation>检查所有屏幕，查找相似客户，然后保存</translation>
    </message>
    <message>
        <source>Value help for the field</source>
        <translation>字段的值帮助</translation>
    </message>
    <message>
        <source>Help for the field</source>
        <translation>字段帮助</translation>
    </message>
    <message>
        <source>Back to the initial screen, keeping what was typed</source>
        <translation>回到初始屏幕，保留已输入的内容</translation>
    </message>
    <message>
        <source>Back to the initial screen; there: close the window (asking first)</source>
        <translation>回到初始屏幕；在初始屏幕上：关闭窗口（会先询问）</translation>
    </message>
    <message>
        <source>Next screen without checking</source>
        <translation>不检查，进入下一屏</translation>
    </message>
    <message>
        <source>Previous screen</source>
        <translation>上一屏</translation>
    </message>
    <message>
        <source>Into the message list (Up/Down move, Enter goes to the field, Esc back)</source>
        <translation>进入消息列表（上/下移动，回车跳到字段，Esc 返回）</translation>
    </message>
    <message>
        <source>In a table cell being typed: take the value, go to the next cell</source>
        <translation>在正在输入的表格单元格中：接受值，移到下一个单元格</translation>
    </message>
    <message>
        <source>XD04: change documents of the customer on the screens</source>
        <translation>XD04：屏幕上客户的更改凭证</translation>
    </message>
    <message>
        <source>Undo / redo typing, field by field</source>
        <translation>逐字段撤销 / 重做输入</translation>
    </message>
</context>
</TS>
