package importer

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// batchSize is how many rows travel together through the pipeline.
const batchSize = 1024

// cancelEvery is how many records the reader reads between two looks at
// whether the preview was cancelled.
const cancelEvery = 256

// batch is a run of rows on their way from the reader to the preview.
type batch struct {
	rows  []cells
	blank int // blank rows among them
	// done, total: how far the reader had come.
	done, total int
	err         error
	checked     chan struct{} // closed once the rows were checked
}

// read reads the header and the rows of t into p. Reading, checking cells
// (mostly backend.ParseEmail) and filing rows run concurrently: a reader
// goroutine parses the file into batches, workers check the batches' cells,
// and this goroutine files them in order, since whether a row repeats an
// address depends on the rows before it.
func (s *Service) read(ctx context.Context, p *preview, t table, report func(Progress)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ordered := make(chan *batch, 8)   // to this goroutine, in file order
	unchecked := make(chan *batch, 8) // to the workers
	go produce(ctx, t, ordered, unchecked)

	var workers sync.WaitGroup
	for range max(runtime.GOMAXPROCS(0), 1) {
		workers.Go(func() {
			for b := range unchecked {
				for i := range b.rows {
					b.rows[i].check(&p.roles)
				}
				close(b.checked)
			}
		})
	}
	defer workers.Wait()
	defer func() {
		// Let the reader finish before t is closed.
		cancel()
		for range ordered {
		}
	}()

	shown := false
	for b := range ordered {
		if b.err != nil {
			return b.err
		}
		<-b.checked
		if p.rows.len() == 0 {
			p.first = make(map[string]int, min(t.SizeHint(), maxRows))
		}
		for i := range b.rows {
			p.add(&b.rows[i])
		}
		p.blank += b.blank
		if !shown && p.rows.len() >= firstRows {
			if err := s.showFirstRows(ctx, p, b.done, b.total, report); err != nil {
				return err
			}
			shown = true
		} else {
			report(Progress{ImportID: p.id, Phase: PhaseReading, Done: b.done, Total: b.total})
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !shown {
		done, total := t.Progress()
		return s.showFirstRows(ctx, p, done, total, report)
	}
	return nil
}

// produce reads t's header and rows into batches, sending each both to
// ordered (in file order) and to unchecked (for the workers). The first
// batch holds firstRows rows, so that they show early. It closes both
// channels when done; an error travels as the last batch.
func produce(ctx context.Context, t table, ordered, unchecked chan<- *batch) {
	defer close(ordered)
	defer close(unchecked)
	send := func(b *batch) bool {
		if b.err != nil {
			close(b.checked)
		} else {
			select {
			case unchecked <- b:
			case <-ctx.Done():
				return false
			}
		}
		select {
		case ordered <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(err error) { send(&batch{err: err, checked: make(chan struct{})}) }
	defer func() {
		if r := recover(); r != nil {
			fail(fmt.Errorf("read import: %v", r))
		}
	}()

	header := false
	known := 0 // the columns of the header that checkHeader knows
	rows := 0
	last := 0 // the row number of the last record
	b := &batch{rows: make([]cells, 0, firstRows), checked: make(chan struct{})}
	for n := 1; t.Next(); n++ {
		rec := t.Record()
		if rec.row > maxRowNumber {
			fail(errTooManyRows())
			return
		}
		if n%cancelEvery == 0 && ctx.Err() != nil {
			fail(errCanceled())
			return
		}
		if header {
			b.blank += max(rec.row-last-1, 0) // blank lines the reader skipped
		}
		last = rec.row
		if rec.problem == nil && blank(rec.cells) {
			if header {
				b.blank++
			}
			continue
		}
		if !header {
			var err error
			if known, err = checkHeader(rec); err != nil {
				fail(err)
				return
			}
			header = true
			continue
		}
		rows++
		b.rows = append(b.rows, readCells(rec, known))
		if len(b.rows) == cap(b.rows) {
			b.done, b.total = t.Progress()
			if !send(b) {
				return
			}
			b = &batch{rows: make([]cells, 0, batchSize), checked: make(chan struct{})}
		}
	}
	switch err := t.Err(); {
	case err != nil:
		fail(err)
	case !header:
		fail(errEmpty())
	case rows == 0:
		fail(errNoRows())
	case len(b.rows) > 0 || b.blank > 0:
		b.done, b.total = t.Progress()
		send(b)
	}
}

// showFirstRows checks the addresses of the rows read so far and reports
// them. Later rows cannot change them: a duplicate is always the later row.
func (s *Service) showFirstRows(ctx context.Context, p *preview, done, total int, report func(Progress)) error {
	n := min(p.rows.len(), firstRows)
	keys := make([]string, 0, n)
	for i := range n {
		if k := p.rows.at(i).key; k != "" {
			keys = append(keys, k)
		}
	}
	uses, err := s.emails.FindEmailUses(ctx, keys)
	if err != nil {
		return fmt.Errorf("preview import: %w", err)
	}
	asked := make(map[string]bool, len(keys))
	for _, k := range keys {
		asked[k] = true
	}
	p.setTaken(uses, func(k string) bool { return asked[k] })
	rows := make([]Row, n)
	for i := range n {
		rows[i] = p.rows.at(i).view()
	}
	report(Progress{ImportID: p.id, Phase: PhaseReading, Done: done, Total: total, FirstRows: rows})
	return nil
}

// blank reports whether every cell is empty or spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if trimCell(c) != "" {
			return false
		}
	}
	return true
}
