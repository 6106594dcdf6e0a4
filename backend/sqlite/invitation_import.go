package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"roster/backend"
	"roster/backend/sqlstore"
)

// How an import is stored. It is written in short transactions so that
// other writers (an "Invite one user", the mail worker) wait well under a
// second; each ends after importTxRows rows or once it has held the lock
// for importTxTime, checked after each batch. The rows are prepared (keys,
// tokens) in batches of importBatchRows by a second goroutine while the
// previous batch is written; a batch is small so that it overruns the time
// little (a batch of 254-character addresses takes about 10 ms on a quiet
// machine).
var (
	importTxRows    = 4096
	importTxTime    = 100 * time.Millisecond
	importBatchRows = 32
)

// InviteUsers stores many invitations, all or none as the administrator
// sees it, and queues their emails.
//
// The rows are written in short transactions as a staged import (0004):
// hidden from the lists and counters, their emails held, but their
// addresses reserved by the unique index, so a concurrent invitation of the
// same address conflicts. One short transaction then publishes them (the
// commit point); after it the audit entries are written and the emails
// released in chunks. A failure before the commit point removes the staged
// rows (or, after a crash, the next Open does); after it, the rest is
// completed here or by the next Open.
func (s *InvitationService) InviteUsers(ctx context.Context, params []backend.InviteParams, progress backend.Progress) (*backend.BulkInviteResult, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	total := len(params)
	roles, err := checkImportRows(ctx, s.db.db, params)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		progress(0, 0)
		return &backend.BulkInviteResult{}, nil
	}
	org, err := organisationName(ctx, s.db.db)
	if err != nil {
		return nil, err
	}
	imp, err := s.db.beginImport(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.stageImport(ctx, imp, params, roles, org, progress); err != nil {
		// Nothing is visible yet; remove the staged rows now (or at the next Open).
		_ = s.db.discardImport(context.WithoutCancel(ctx), imp.id)
		return nil, err
	}
	if err := s.db.publishImport(ctx, imp); err != nil {
		_ = s.db.discardImport(context.WithoutCancel(ctx), imp.id)
		return nil, err
	}
	progress(total, total)
	if err := s.afterStage(imp.id, true); err != nil {
		return nil, err
	}
	// Published: the rest cannot fail the import. Whatever this cannot
	// finish (the database busy for long) the next Open finishes.
	_ = s.db.completeImport(context.WithoutCancel(ctx), imp.id)
	return &backend.BulkInviteResult{Invited: total}, nil
}

// afterStage runs the test hook, if any, after a transaction of an import.
func (s *InvitationService) afterStage(importID int64, published bool) error {
	if s.stageHook == nil {
		return nil
	}
	return s.stageHook(importID, published)
}

// checkImportRows checks every row before anything is stored, as
// InviteUser would: the address, duplicates in the list, the role. It keeps
// a hash per address, not the addresses, and returns the roles by their
// name or id as given (trimmed, lower case).
func checkImportRows(ctx context.Context, q queryer, params []backend.InviteParams) (map[string]*backend.Role, error) {
	roles := map[string]*backend.Role{}
	seed := maphash.MakeSeed()
	seen := make(map[uint64]int32, len(params))
	var collided map[string]int // exact keys, once two addresses shared a hash
	keyOf := func(i int) string {
		e, _ := backend.ParseEmail(params[i].Email)
		return e.Key
	}
	for i, p := range params {
		email, err := backend.ParseEmail(p.Email)
		if err != nil {
			return nil, sqlstore.InviteRowError(i, err)
		}
		h := maphash.String(seed, email.Key)
		first := -1
		if j, ok := seen[h]; !ok {
			seen[h] = int32(i)
		} else if keyOf(int(j)) == email.Key {
			first = int(j)
		} else {
			if collided == nil {
				collided = map[string]int{}
			}
			if j, ok := collided[email.Key]; ok {
				first = j
			} else {
				collided[email.Key] = i
			}
		}
		if first >= 0 {
			return nil, sqlstore.InviteRowError(i, backend.MsgInvitationDuplicate.FieldError(backend.ECONFLICT, "email", "email", email.Address, "firstRow", first+1, "row", i+1))
		}
		roleKey := strings.ToLower(strings.TrimSpace(p.Role))
		if _, ok := roles[roleKey]; !ok {
			role, err := resolveRole(ctx, q, p.Role)
			if err != nil {
				return nil, sqlstore.InviteRowError(i, err)
			}
			roles[roleKey] = role
		}
	}
	return roles, nil
}

// stagedImport is an import being stored.
type stagedImport struct {
	id  int64
	now time.Time // stamped on all its rows
	// counts is how many invitations it staged per role, for the list's
	// counters at publication.
	counts map[string]int
}

// beginImport records a new staged import.
func (db *DB) beginImport(ctx context.Context) (*stagedImport, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	actor := backend.ActorFromContext(ctx)
	res, err := tx.ExecContext(ctx, `INSERT INTO imports (state, actor_id, actor_name, created_at) VALUES ('staged', ?, ?, ?)`,
		sqlstore.NullString(actor.ID), actor.Name, formatTime(tx.now))
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", mapError(err))
	}
	imp := &stagedImport{now: tx.now, counts: map[string]int{}}
	if imp.id, err = res.LastInsertId(); err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("begin import: %w", mapError(err))
	}
	return imp, nil
}

// importRow is a row prepared for storing, with its index in params.
type importRow struct {
	index int
	token string
	storedInvitation
}

// prepareImportRows builds the rows of params in batches, outside the write
// lock: ids, tokens, sort and search keys. It stops when ctx is done.
func prepareImportRows(ctx context.Context, params []backend.InviteParams, roles map[string]*backend.Role, now time.Time, out chan<- []importRow) {
	defer close(out)
	for start := 0; start < len(params); start += importBatchRows {
		batch := make([]importRow, 0, min(importBatchRows, len(params)-start))
		for i := start; i < start+cap(batch); i++ {
			email, _ := backend.ParseEmail(params[i].Email) // checked by checkImportRows
			role := roles[strings.ToLower(strings.TrimSpace(params[i].Role))]
			inv, token, hash := newPendingInvitation(ctx, email, role, now)
			batch = append(batch, importRow{index: i, token: token, storedInvitation: storedInvitation{
				inv: inv, key: email.Key, sortKey: sortKey(inv.Email), search: sqlstore.SearchText("", inv.Email), hash: hash}})
		}
		select {
		case out <- batch:
		case <-ctx.Done():
			return
		}
	}
}

// stageImport writes the rows of params as staged rows of imp, in short
// transactions. It checks each batch's addresses against current members;
// an address with an open invitation is refused by the unique index.
func (s *InvitationService) stageImport(ctx context.Context, imp *stagedImport, params []backend.InviteParams,
	roles map[string]*backend.Role, org string, progress backend.Progress) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []importRow, 2)
	go prepareImportRows(ctx, params, roles, imp.now, batches)
	done := 0
	var next []importRow
	for {
		if next == nil {
			var ok bool
			if next, ok = <-batches; !ok {
				return ctx.Err()
			}
		}
		n, err := s.stageTx(ctx, imp, org, &next, batches)
		if err != nil {
			return err
		}
		done += n
		progress(done, len(params))
		if err := s.afterStage(imp.id, false); err != nil {
			return err
		}
		if next == nil && done == len(params) {
			return nil
		}
	}
}

// listImportRowsSQL adds the Users list's rows of an import's invitations
// with rowids ?2..?3, in rowid order, staged like them (hidden until the
// import is published, counted then). It is one statement per transaction
// because its triggers add each row to both search indexes, and FTS5 writes
// out what it holds at every statement savepoint: row by row, as the
// invitations' trigger lists single invitations, that was a segment per row
// and more than half the cost of a large import (migration 0009).
const listImportRowsSQL = `INSERT INTO directory (kind, ref_id, name, email, email_key, sort_key, search_text, role_id,
	role_name, status, joined_at, expires_at, import_id)
	SELECT 'invitation', id, '', email, email_key, sort_key, search_text, role_id, role_name, 'pending', sent_at,
		expires_at, import_id
	FROM invitations WHERE import_id = ?1 AND rowid BETWEEN ?2 AND ?3 AND state = 'pending' ORDER BY rowid`

// stageTx stores batches in one transaction, starting with *next, until it
// has held the write lock for importTxTime or written importTxRows rows. It
// leaves in *next the batch it took but did not store (nil if none), and
// returns how many rows it stored.
func (s *InvitationService) stageTx(ctx context.Context, imp *stagedImport, org string, next *[]importRow, batches <-chan []importRow) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	started := time.Now()
	store, err := newInvitationStore(ctx, tx, imp.id)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	counts := map[string]int{}
	n := 0
	var first, last int64
	for batch := *next; ; {
		keys := make([]string, len(batch))
		for i, r := range batch {
			keys[i] = r.key
		}
		members, err := findMembers(ctx, tx, keys)
		if err != nil {
			return 0, err
		}
		for _, r := range batch {
			if members[r.key] {
				return 0, sqlstore.InviteRowError(r.index, memberExists(r.inv.Email))
			}
			if r.data, err = store.mailData(r.inv, org, r.token); err != nil {
				return 0, err
			}
			rowid, err := store.add(ctx, &r.storedInvitation)
			if err != nil {
				return 0, sqlstore.InviteRowError(r.index, err)
			}
			if first == 0 {
				first = rowid
			}
			last = rowid
			counts[r.inv.RoleID]++
		}
		n += len(batch)
		*next = nil
		if n >= importTxRows || time.Since(started) >= importTxTime {
			break
		}
		var ok bool
		select {
		case batch, ok = <-batches:
		default:
			// The next batch is not ready: commit rather than wait holding the lock.
			ok = false
		}
		if !ok {
			break
		}
		*next = batch
	}
	if _, err := tx.ExecContext(ctx, listImportRowsSQL, imp.id, first, last); err != nil {
		return 0, fmt.Errorf("stage import: list rows: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET first_rowid = CASE WHEN first_rowid = 0 THEN ? ELSE first_rowid END,
		last_rowid = ? WHERE id = ?`, first, last, imp.id); err != nil {
		return 0, fmt.Errorf("stage import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("stage import: %w", mapError(err))
	}
	for role, c := range counts {
		imp.counts[role] += c
	}
	return n, nil
}

// publishImport is the commit point: the staged rows become listed and
// counted. It is one short transaction whatever the import's size.
func (db *DB) publishImport(ctx context.Context, imp *stagedImport) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE imports SET state = 'published', published_at = ? WHERE id = ? AND state = 'staged'`,
		formatTime(tx.now), imp.id)
	if err != nil {
		return fmt.Errorf("publish import: %w", mapError(err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("publish import %d: not staged (%d, %v)", imp.id, n, err)
	}
	for role, n := range imp.counts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO directory_counts (status, role_id, n) VALUES ('pending', ?, ?)
			ON CONFLICT (status, role_id) DO UPDATE SET n = n + excluded.n`, role, n); err != nil {
			return fmt.Errorf("publish import: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("publish import: %w", mapError(err))
	}
	return nil
}

// importChunk is how many rows completeImport and discardImport handle per transaction.
var importChunk = 5000

// importRowsSQL selects the invitation rowids of an import after a rowid, up
// to its last one, by rowid.
const importRowsSQL = `SELECT rowid FROM invitations WHERE import_id = ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`

// completeImport finishes a published import in chunks: it writes the audit
// entries of its invitations and releases their emails, then forgets the
// import. The audit entries carry the time of the publication.
func (db *DB) completeImport(ctx context.Context, id int64) error {
	for {
		more, err := db.completeImportChunk(ctx, id)
		if err != nil || !more {
			return err
		}
	}
}

func (db *DB) completeImportChunk(ctx context.Context, id int64) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var state, actorName string
	var actorID, published sql.NullString
	var last, done int64
	if err := tx.QueryRowContext(ctx, `SELECT state, actor_id, actor_name, last_rowid, done_rowid, published_at FROM imports WHERE id = ?`,
		id).Scan(&state, &actorID, &actorName, &last, &done, &published); err != nil {
		return false, fmt.Errorf("complete import %d: %w", id, err)
	}
	if state != "published" {
		return false, fmt.Errorf("complete import %d: it is %s", id, state)
	}
	var upto sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(rowid) FROM (`+importRowsSQL+`)`, id, done, last, importChunk).Scan(&upto); err != nil {
		return false, fmt.Errorf("complete import %d: %w", id, err)
	}
	if !upto.Valid {
		if _, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE id = ?`, id); err != nil {
			return false, fmt.Errorf("complete import %d: %w", id, err)
		}
		return false, tx.Commit()
	}
	// The invitations of the chunk, named by their import and rowids.
	const chunk = ` FROM invitations WHERE import_id = ? AND rowid > ? AND rowid <= ?`
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (uid, at, actor_id, actor_name, action, target_type, target_id,
		target_label, after) SELECT lower(hex(randomblob(16))), ?, ?, ?, ?, 'invitation', id, email,
		json_object('email', email, 'expiresAt', expires_at, 'role', role_name)`+chunk+` ORDER BY rowid`,
		published.String, actorID, actorName, backend.AuditInvitationsImported, id, done, upto.Int64); err != nil {
		return false, fmt.Errorf("complete import %d: audit: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ?
		WHERE id IN (SELECT outbox_id`+chunk+`) AND state = 'queued' AND next_attempt_at = ?`,
		published.String, id, done, upto.Int64, heldUntil); err != nil {
		return false, fmt.Errorf("complete import %d: release emails: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET done_rowid = ? WHERE id = ?`, upto.Int64, id); err != nil {
		return false, fmt.Errorf("complete import %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("complete import %d: %w", id, mapError(err))
	}
	return true, nil
}

// discardImport removes a staged import and its rows in chunks. It never
// touches a published import.
func (db *DB) discardImport(ctx context.Context, id int64) error {
	for {
		more, err := db.discardImportChunk(ctx, id)
		if err != nil || !more {
			return err
		}
	}
}

func (db *DB) discardImportChunk(ctx context.Context, id int64) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var state string
	var first, last int64
	if err := tx.QueryRowContext(ctx, `SELECT state, first_rowid, last_rowid FROM imports WHERE id = ?`, id).Scan(&state, &first, &last); err != nil {
		return false, fmt.Errorf("discard import %d: %w", id, err)
	}
	if state != "staged" {
		return false, fmt.Errorf("discard import %d: it is %s", id, state)
	}
	var upto sql.NullInt64
	if first > 0 {
		if err := tx.QueryRowContext(ctx, `SELECT max(rowid) FROM (`+importRowsSQL+`)`, id, first-1, last, importChunk).Scan(&upto); err != nil {
			return false, fmt.Errorf("discard import %d: %w", id, err)
		}
	}
	if !upto.Valid {
		if _, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE id = ?`, id); err != nil {
			return false, fmt.Errorf("discard import %d: %w", id, err)
		}
		return false, tx.Commit()
	}
	// The emails first (they refer to the invitations); deleting an
	// invitation deletes its list row (invitations_directory_ad).
	const chunk = ` FROM invitations WHERE import_id = ? AND rowid >= ? AND rowid <= ?`
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (SELECT outbox_id`+chunk+`)`, id, first, upto.Int64); err != nil {
		return false, fmt.Errorf("discard import %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE`+chunk, id, first, upto.Int64); err != nil {
		return false, fmt.Errorf("discard import %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE imports SET first_rowid = ? WHERE id = ?`, upto.Int64+1, id); err != nil {
		return false, fmt.Errorf("discard import %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("discard import %d: %w", id, mapError(err))
	}
	return true, nil
}

// recoverImports finishes what a crash interrupted: it removes the rows of
// imports that were not published and completes the published ones.
func (db *DB) recoverImports(ctx context.Context) error {
	rows, err := db.db.QueryContext(ctx, `SELECT id, state FROM imports ORDER BY id`)
	if err != nil {
		return fmt.Errorf("recover imports: %w", err)
	}
	type imp struct {
		id    int64
		state string
	}
	var list []imp
	for rows.Next() {
		var i imp
		if err := rows.Scan(&i.id, &i.state); err != nil {
			rows.Close()
			return fmt.Errorf("recover imports: %w", err)
		}
		list = append(list, i)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("recover imports: %w", err)
	}
	var errs []error
	for _, i := range list {
		if i.state == "published" {
			errs = append(errs, db.completeImport(ctx, i.id))
		} else {
			errs = append(errs, db.discardImport(ctx, i.id))
		}
	}
	return errors.Join(errs...)
}
