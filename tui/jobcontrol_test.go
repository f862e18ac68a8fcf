package tui

import (
	"os"
	"testing"
)

func TestStoppable(t *testing.T) {
	procs := func(m map[int]procInfo) func(int) (procInfo, bool) {
		return func(pid int) (procInfo, bool) { p, ok := m[pid]; return p, ok }
	}
	cases := []struct {
		name  string
		table map[int]procInfo
		want  bool
	}{
		{"interactive shell with job control", map[int]procInfo{
			100: {ppid: 50, pgrp: 100, sid: 50},
			50:  {ppid: 1, pgrp: 50, sid: 50},
		}, true},
		{"under go run: the parent shares the group, the shell above it does not", map[int]procInfo{
			101: {ppid: 100, pgrp: 100, sid: 50},
			100: {ppid: 50, pgrp: 100, sid: 50},
			50:  {ppid: 1, pgrp: 50, sid: 50},
		}, true},
		{"shell without job control: the group reaches the session leader", map[int]procInfo{
			100: {ppid: 50, pgrp: 50, sid: 50},
			50:  {ppid: 1, pgrp: 50, sid: 50},
		}, false},
		{"parent in another session (a daemon started it)", map[int]procInfo{
			100: {ppid: 50, pgrp: 100, sid: 100},
			50:  {ppid: 1, pgrp: 50, sid: 50},
		}, false},
		{"nothing known", map[int]procInfo{}, true},
	}
	for _, c := range cases {
		first := 0
		for pid := range c.table {
			if first == 0 || pid > first {
				first = pid
			}
		}
		if first == 0 {
			first = 7
		}
		if got := stoppable(first, procs(c.table)); got != c.want {
			t.Errorf("%s: stoppable = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestProcStatReadsThisProcess(t *testing.T) {
	p, ok := procStat(os.Getpid())
	if !ok {
		t.Skip("no /proc here")
	}
	if p.ppid != os.Getppid() {
		t.Fatalf("parent %d, want %d", p.ppid, os.Getppid())
	}
}
