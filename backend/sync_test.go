package backend_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/msg"
)

// TestConflictJSON sends a conflict through JSON as the push answers it:
// its error travels in the shape of the admin API's error answers, and
// comes back a coded *backend.Error with the same key and arguments.
func TestConflictJSON(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		sent := &backend.Conflict{
			Seq:  7,
			Kind: backend.OpInvite,
			At:   time.Date(2026, 11, 28, 16, 0, 0, 123e6, time.UTC),
			Data: json.RawMessage(`{"id":"i1","email":"eve@example.com"}`),
			Error: backend.MsgInvitationExists.Error(backend.ECONFLICT, "email", "eve@example.com").
				WithField("email"),
			Server: []backend.Change{{Entity: backend.EntityInvitation, ID: "i0", Row: json.RawMessage(`{"id":"i0"}`)}},
		}
		sent.Error.Args["max"] = 1000
		b, err := json.Marshal(sent)
		if err != nil {
			t.Fatal(err)
		}
		var wire struct {
			Error map[string]any `json:"error"`
		}
		if err := json.Unmarshal(b, &wire); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"code": "conflict", "message": sent.Error.Message, "key": "invitation.exists",
			"args": map[string]any{"email": "eve@example.com", "max": float64(1000)}, "field": "email"}
		if !reflect.DeepEqual(wire.Error, want) {
			t.Fatalf("error on the wire %v, want %v", wire.Error, want)
		}

		var got backend.Conflict
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		e := got.Error
		if e == nil || backend.ErrorCode(e) != backend.ECONFLICT || e.Key != sent.Error.Key || e.Field != "email" ||
			e.Message != sent.Error.Message || !reflect.DeepEqual(e.Args, map[string]any{"email": "eve@example.com", "max": float64(1000)}) {
			t.Fatalf("error %+v", e)
		}
		if de := msg.Error("de", e); de != msg.Error("de", sent.Error) || de == e.Message {
			t.Fatalf("German text %q, want %q", de, msg.Error("de", sent.Error))
		}
		if got.Seq != 7 || got.Kind != backend.OpInvite || !got.At.Equal(sent.At) || string(got.Data) != string(sent.Data) ||
			len(got.Server) != 1 || got.Server[0].ID != "i0" {
			t.Fatalf("conflict %+v", got)
		}
	})

	t.Run("NoArgs", func(t *testing.T) {
		b, err := json.Marshal(backend.Conflict{Seq: 1, Error: backend.MsgSyncOpInvalid.Error(backend.EINVALID, "kind", "x")})
		if err != nil {
			t.Fatal(err)
		}
		var got backend.Conflict
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got.Error == nil || got.Error.Key != "sync.op_invalid" || got.Error.Args["kind"] != "x" {
			t.Fatalf("error %+v from %s", got.Error, b)
		}
		b, err = json.Marshal(backend.Conflict{Seq: 1, Error: &backend.Error{Code: backend.ENOTFOUND, Message: "Gone."}})
		if err != nil {
			t.Fatal(err)
		}
		var wire struct {
			Error map[string]any `json:"error"`
		}
		if err := json.Unmarshal(b, &wire); err != nil {
			t.Fatal(err)
		}
		if args, ok := wire.Error["args"].(map[string]any); !ok || len(args) != 0 {
			t.Fatalf("args on the wire %v, want {}", wire.Error["args"])
		}
	})
}
