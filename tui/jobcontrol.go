package tui

import (
	"os"
	"strconv"
	"strings"
)

// procInfo is what job control depends on for one process.
type procInfo struct {
	ppid, pgrp, sid int
}

// stoppable reports whether stopping the program's process group (what
// ctrl+z does) hands the terminal back to a shell that can continue it. A
// shell with job control runs each job in a process group of its own and
// waits in another group of the same session. Without one (a login shell
// without job control, a script run by exec) the group is orphaned: the
// kernel ignores the stop, and the program would sit with its screen
// released waiting for a continue that never comes.
//
// It walks up from pid through the processes of pid's own group until it
// finds the parent that lives in another group: the group can be resumed
// when that parent shares its session.
func stoppable(pid int, lookup func(pid int) (procInfo, bool)) bool {
	self, ok := lookup(pid)
	if !ok {
		return true // nothing to go on: keep the usual behaviour
	}
	for p, hops := self, 0; hops < 64; hops++ {
		if p.ppid <= 1 {
			return false
		}
		parent, ok := lookup(p.ppid)
		if !ok {
			return true
		}
		if parent.pgrp != self.pgrp {
			return parent.sid == self.sid
		}
		p = parent
	}
	return true
}

// procStat reads a process's parent, group and session from Linux's
// /proc/PID/stat. Elsewhere it finds nothing, and suspending works as the
// terminal library does it.
func procStat(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// The command name is in parentheses and may hold spaces; the fields
	// after the last ")" are: state ppid pgrp session …
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 4 {
		return procInfo{}, false
	}
	var n [3]int
	for j := range n {
		v, err := strconv.Atoi(f[j+1])
		if err != nil {
			return procInfo{}, false
		}
		n[j] = v
	}
	return procInfo{ppid: n[0], pgrp: n[1], sid: n[2]}, true
}

// canSuspend is stoppable for this process.
func canSuspend() bool { return stoppable(os.Getpid(), procStat) }
