package app

import "roster/backend"

// The enums the frontend sees as TypeScript enums (options.App.EnumBind).
var (
	allPermissions = []struct {
		Value  backend.Permission
		TSName string
	}{
		{backend.PermChat, "Chat"}, {backend.PermUseSkills, "UseSkills"}, {backend.PermCreateSkills, "CreateSkills"},
		{backend.PermManageUsers, "ManageUsers"}, {backend.PermChangeSettings, "ChangeSettings"},
		{backend.PermConfigureModels, "ConfigureModels"},
	}
	allEntryStatuses = []struct {
		Value  backend.EntryStatus
		TSName string
	}{
		{backend.EntryActive, "Active"}, {backend.EntryInactive, "Inactive"}, {backend.EntryPending, "Pending"},
		{backend.EntryExpired, "Expired"},
	}
	allUserStatuses = []struct {
		Value  backend.UserStatus
		TSName string
	}{
		{backend.UserActive, "Active"}, {backend.UserInactive, "Inactive"}, {backend.UserRemoved, "Removed"},
	}
	allInvitationStates = []struct {
		Value  backend.InvitationState
		TSName string
	}{
		{backend.InvitationPending, "Pending"}, {backend.InvitationExpired, "Expired"},
		{backend.InvitationAccepted, "Accepted"}, {backend.InvitationDeleted, "Deleted"},
	}
	allDeliveryStates = []struct {
		Value  backend.DeliveryState
		TSName string
	}{
		{backend.DeliveryQueued, "Queued"}, {backend.DeliverySending, "Sending"}, {backend.DeliverySent, "Sent"},
		{backend.DeliveryFailed, "Failed"}, {backend.DeliveryCancelled, "Cancelled"},
	}
	allEntryKinds = []struct {
		Value  backend.EntryKind
		TSName string
	}{
		{backend.EntryUser, "User"}, {backend.EntryInvitation, "Invitation"},
	}
	allSyncMarks = []struct {
		Value  backend.SyncMark
		TSName string
	}{
		{backend.SyncMarkNone, "None"}, {backend.SyncMarkWaiting, "Waiting"}, {backend.SyncMarkConflict, "Conflict"},
	}
	allBulkActions = []struct {
		Value  BulkAction
		TSName string
	}{
		{BulkChangeRole, "ChangeRole"}, {BulkDeactivate, "Deactivate"}, {BulkRemove, "Remove"},
		{BulkResend, "Resend"}, {BulkDelete, "Delete"},
	}
)

// Enums returns the enums for options.App.EnumBind.
func Enums() []any {
	return []any{allPermissions, allEntryStatuses, allUserStatuses, allInvitationStates, allDeliveryStates, allEntryKinds, allSyncMarks, allBulkActions}
}
