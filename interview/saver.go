package interview

import (
	"fmt"
	"sync"
)

// saver writes a session's file from its own goroutine, so the disk (two
// fsyncs a save) is never waited on under the engine's lock. The engine
// encodes the session under its lock and hands the bytes over; a newer
// save replaces one not yet begun, so the latest always wins and an older
// one is never written after it.
type saver struct {
	store *Store
	id    string
	// done hears the outcome of each write, in order.
	done func(seq uint64, err error)

	mu      sync.Mutex
	cond    *sync.Cond
	next    *saveJob
	queued  uint64 // seq of the latest job handed over
	written uint64 // seq of the latest job written (or failed)
	err     error  // outcome of that write
	closed  bool
	gone    bool // the goroutine has ended: nothing more is written
	exited  chan struct{}
}

type saveJob struct {
	seq  uint64
	data []byte
	err  error // why the session could not be encoded, if it could not
}

func newSaver(store *Store, id string, done func(uint64, error)) *saver {
	s := &saver{store: store, id: id, done: done, exited: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	go s.run()
	return s
}

// put hands a save over. It reports whether it replaced one not yet begun
// (whose place it takes).
func (s *saver) put(seq uint64, data []byte, err error) (replaced bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	replaced = s.next != nil
	s.next = &saveJob{seq: seq, data: data, err: err}
	s.queued = seq
	s.cond.Broadcast()
	return replaced
}

func (s *saver) run() {
	defer close(s.exited)
	for {
		s.mu.Lock()
		for s.next == nil && !s.closed {
			s.cond.Wait()
		}
		job := s.next
		s.next = nil
		s.mu.Unlock()
		if job == nil {
			s.mu.Lock()
			s.gone = true
			s.cond.Broadcast()
			s.mu.Unlock()
			return // closed, and nothing left to write
		}
		err := s.write(job)
		s.mu.Lock()
		s.written, s.err = job.seq, err
		s.cond.Broadcast()
		s.mu.Unlock()
		s.done(job.seq, err)
	}
}

// write writes one job; a panic in the file layer becomes its error.
func (s *saver) write(job *saveJob) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: internal error while saving: %v", ErrNotSaved, r)
		}
	}()
	if job.err != nil {
		return job.err
	}
	return s.store.write(s.id, job.data)
}

// flush waits until every save handed over so far is written and returns
// the outcome of the last one (the session as it stood at the last put).
func (s *saver) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.queued
	for s.written < target && !s.gone {
		s.cond.Wait()
	}
	if s.written < target {
		return fmt.Errorf("%w: the session was already closed", ErrNotSaved)
	}
	return s.err
}

// close writes what is left and ends the goroutine.
func (s *saver) close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	<-s.exited
}
