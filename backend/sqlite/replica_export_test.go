package sqlite

// SetBulkListRows sets from how many members and invitations on a page
// ApplyChanges writes their Users list rows in bulk; the returned func
// restores it.
func SetBulkListRows(n int) (restore func()) {
	old := bulkListRows
	bulkListRows = n
	return func() { bulkListRows = old }
}
