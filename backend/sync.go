package backend

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Sync: with a directory server configured, every change an administrator
// makes in Roster is an operation (Op), stored with the change and applied
// to the local replica at once. Operations are pushed to the server in
// order, which applies each exactly once with the same code the desktop
// ran, or refuses it for good (a Conflict). The desktop pulls the server's
// changes (Change) since a cursor, and replays its still-pending
// operations on top of them.

// OpKind names what an operation does; the comment names its Data.
type OpKind string

// The kinds of operations.
const (
	OpInvite              OpKind = "invitation.create"     // InviteOp
	OpDeleteInvitation    OpKind = "invitation.delete"     // InvitationOp
	OpResendInvitation    OpKind = "invitation.resend"     // RelinkOp
	OpRenewInvitationLink OpKind = "invitation.renew_link" // RelinkOp
	OpChangeUserRole      OpKind = "user.change_role"      // UserRoleOp
	OpDeactivateUser      OpKind = "user.deactivate"       // UserOp
	OpActivateUser        OpKind = "user.activate"         // UserOp
	OpRemoveUser          OpKind = "user.remove"           // UserOp
	OpSendPasswordReset   OpKind = "password_reset.send"   // PasswordResetOp
	OpCreateRole          OpKind = "role.create"           // RoleOp
	OpUpdateRole          OpKind = "role.update"           // RoleOp
	OpDeleteRole          OpKind = "role.delete"           // RoleOp (ID only)
)

// Op is one change made on a desktop. Everything that was minted for it
// (ids, token hashes) is in Data, so that every database applying it
// writes the same rows; tokens themselves never leave the desktop.
type Op struct {
	// Client is the id of the desktop that made it, Seq its number there:
	// 1, 2, … without gaps.
	Client string `json:"client"`
	Seq    int64  `json:"seq"`
	Kind   OpKind `json:"kind"`
	// At is when it was made; the rows it writes carry this time.
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// AuditUID is the id of the n-th (from 0) audit entry op writes, the same
// in every database that applies it.
func (op *Op) AuditUID(n int) string {
	return op.Client + "." + strconv.FormatInt(op.Seq, 10) + "." + strconv.Itoa(n)
}

// InviteOp invites Email with Role (a role id); TokenHash is the SHA-256 of
// the link's token.
type InviteOp struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	TokenHash []byte `json:"tokenHash"`
}

// InvitationOp names an invitation.
type InvitationOp struct {
	ID string `json:"id"`
}

// RelinkOp gives an invitation a new link.
type RelinkOp struct {
	ID        string `json:"id"`
	TokenHash []byte `json:"tokenHash"`
}

// UserOp names a member.
type UserOp struct {
	ID string `json:"id"`
}

// UserRoleOp gives a member a role (id).
type UserRoleOp struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

// PasswordResetOp sends member UserID a reset link.
type PasswordResetOp struct {
	ID        string `json:"id"`
	UserID    string `json:"userId"`
	TokenHash []byte `json:"tokenHash"`
}

// RoleOp creates, changes or deletes a custom role.
type RoleOp struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Permissions []Permission `json:"permissions,omitempty"`
}

// The entities a Change carries.
const (
	EntityUser       = "user"
	EntityInvitation = "invitation"
	EntityRole       = "role"
	EntityAudit      = "audit"
)

// Change is one row as the server has it now (Row, one of the *Row types
// below as JSON), or its tombstone (Deleted) when it no longer exists.
// Seq is the server's change sequence number.
type Change struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"`
	ID      string          `json:"id"`
	Deleted bool            `json:"deleted,omitempty"`
	Row     json.RawMessage `json:"row,omitempty"`
}

// UserRow is a member as sync carries it (never a password hash).
type UserRow struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	RoleID       string     `json:"roleId"`
	Status       UserStatus `json:"status"`
	JoinedAt     time.Time  `json:"joinedAt"`
	RemovedAt    *time.Time `json:"removedAt,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
	LastSignInAt *time.Time `json:"lastSignInAt,omitempty"`
}

// InvitationRow is an invitation as sync carries it (never its token hash).
type InvitationRow struct {
	ID            string          `json:"id"`
	Email         string          `json:"email"`
	RoleID        string          `json:"roleId,omitempty"`
	RoleName      string          `json:"roleName"`
	InvitedByID   string          `json:"invitedById,omitempty"`
	InvitedByName string          `json:"invitedByName"`
	State         InvitationState `json:"state"`
	UserID        string          `json:"userId,omitempty"`
	CreatedAt     time.Time       `json:"createdAt"`
	SentAt        time.Time       `json:"sentAt"`
	ExpiresAt     time.Time       `json:"expiresAt"`
	AcceptedAt    *time.Time      `json:"acceptedAt,omitempty"`
	DeletedAt     *time.Time      `json:"deletedAt,omitempty"`
	UpdatedAt     time.Time       `json:"updatedAt"`
}

// RoleRow is a role with its permissions, sorted.
type RoleRow struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	BuiltIn     bool         `json:"builtIn"`
	Permissions []Permission `json:"permissions"`
	CreatedAt   time.Time    `json:"createdAt"`
	UpdatedAt   time.Time    `json:"updatedAt"`
}

// AuditRow is an audit entry; UID is its id in every database.
type AuditRow struct {
	UID         string          `json:"uid"`
	At          time.Time       `json:"at"`
	ActorID     string          `json:"actorId,omitempty"`
	ActorName   string          `json:"actorName"`
	ActorClient string          `json:"actorClient,omitempty"`
	Action      string          `json:"action"`
	TargetType  string          `json:"targetType"`
	TargetID    string          `json:"targetId"`
	TargetLabel string          `json:"targetLabel"`
	Before      json.RawMessage `json:"before,omitempty"`
	After       json.RawMessage `json:"after,omitempty"`
}

// Conflict is an operation the server refused for good: what the desktop
// did (Kind, Data), why it was refused (Error, coded with its message key
// and arguments), and the rows it touched as the server has them (Server).
// In JSON its Error has the shape of the admin API's error answers
// (conflictJSON).
type Conflict struct {
	Seq    int64
	Kind   OpKind
	At     time.Time
	Data   json.RawMessage
	Error  *Error
	Server []Change
}

// conflictJSON is a Conflict as JSON carries it.
type conflictJSON struct {
	Seq    int64           `json:"seq"`
	Kind   OpKind          `json:"kind"`
	At     time.Time       `json:"at"`
	Data   json.RawMessage `json:"data"`
	Error  *errorJSON      `json:"error"`
	Server []Change        `json:"server"`
}

// errorJSON is a coded error as the admin API's error answers carry it:
// code, English message, message key with its arguments, and field.
type errorJSON struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Key     string         `json:"key"`
	Args    map[string]any `json:"args"`
	Field   string         `json:"field"`
}

// MarshalJSON implements json.Marshaler.
func (c Conflict) MarshalJSON() ([]byte, error) {
	j := conflictJSON{Seq: c.Seq, Kind: c.Kind, At: c.At, Data: c.Data, Server: c.Server}
	if e := c.Error; e != nil {
		j.Error = &errorJSON{Code: e.Code, Message: e.Message, Key: e.Key, Args: e.Args, Field: e.Field}
		if j.Error.Args == nil {
			j.Error.Args = map[string]any{}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON implements json.Unmarshaler. Numbers among the error's
// arguments come back as float64, as JSON has them.
func (c *Conflict) UnmarshalJSON(b []byte) error {
	var j conflictJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Conflict{Seq: j.Seq, Kind: j.Kind, At: j.At, Data: j.Data, Server: j.Server}
	if e := j.Error; e != nil {
		c.Error = &Error{Code: e.Code, Message: e.Message, Key: e.Key, Args: e.Args, Field: e.Field}
		if len(c.Error.Args) == 0 {
			c.Error.Args = nil
		}
	}
	return nil
}

// SyncHello is what a directory server says about itself to a desktop
// that connects (GET /api/v1/sync/hello).
type SyncHello struct {
	// Server is its base URL as it knows it, Version its version.
	Server  string `json:"server"`
	Version string `json:"version"`
	// Organisation is the organisation it manages.
	Organisation struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"organisation"`
	// Administrator is who the token belongs to.
	Administrator struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"administrator"`
	// Empty says the server holds nothing but its administrators: a
	// desktop with its own organisation may push it there.
	Empty bool `json:"empty"`
}

// PushRequest is a batch of one client's operations, in order
// (POST /api/v1/sync/push).
type PushRequest struct {
	Client string `json:"client"`
	Ops    []Op   `json:"ops"`
}

// PushResult says up to which Seq the client's operations are applied
// (refused ones count as applied) and lists the refusals among the
// batch's operations, also those recorded when an earlier answer was lost.
type PushResult struct {
	Applied   int64       `json:"applied"`
	Conflicts []*Conflict `json:"conflicts"`
}

// PullResult is a page of changes after a cursor
// (GET /api/v1/sync/pull?client=…&cursor=…&limit=…): Cursor is where the
// next page starts, More whether there is one, Applied how far the
// client's operations are applied.
type PullResult struct {
	Cursor  int64    `json:"cursor"`
	More    bool     `json:"more"`
	Applied int64    `json:"applied"`
	Changes []Change `json:"changes"`
}

// SyncTransport is the directory server as a desktop reaches it.
type SyncTransport interface {
	Hello(ctx context.Context) (*SyncHello, error)
	Push(ctx context.Context, req *PushRequest) (*PushResult, error)
	Pull(ctx context.Context, client string, cursor int64, limit int) (*PullResult, error)
}

// The bounds of a pull's page of changes.
const (
	DefaultPullLimit = 1000
	MaxPullLimit     = 5000
)

// SyncFeedService is the directory server's side of a desktop's pull and
// hello: its change feed, read from its database.
type SyncFeedService interface {
	// Pull returns the changes after cursor, in order, at most limit of
	// them (1 to MaxPullLimit; 0 or less means DefaultPullLimit), and
	// how far client's operations are applied.
	Pull(ctx context.Context, client string, cursor int64, limit int) (*PullResult, error)
	// SyncHello returns the organisation, the actor as the Administrator,
	// and whether the server is Empty; Server and Version are the
	// caller's. ENOTFOUND before the organisation is set up.
	SyncHello(ctx context.Context) (*SyncHello, error)
}
