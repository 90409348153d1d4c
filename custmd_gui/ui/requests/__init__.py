"""The screens of the maintenance requests (issue 18): the work list (我的申请 / 待我处理) and
the review view of one request."""
