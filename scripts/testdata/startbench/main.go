//go:build linux

// Command startbench measures start to first frame for scripts/bench: it runs
// programs under a pseudo-terminal of a fixed size, as a terminal would, and
// times from exec to the first write that holds a known string. Runs of the
// programs compared are interleaved, so the noise of a shared machine falls
// on all of them alike. Linux only (it opens /dev/ptmx itself rather than
// bring in a pty module).
//
// A case is name|marker[|marker...]|program args...; a marker is a string
// the program writes, ALTSCREEN (the sequence entering the alternate
// screen) or EXIT (the time the program ended). Each result line is
//
//	case <name> <marker> median_ms <m> min_ms <m> max_ms <m> runs <n>
//
// With -inittrace the cases run a few times more under GODEBUG=inittrace=1
// and the package initialisation is summed:
//
//	init <name> total_ms <m> last_at_ms <m> packages <n> top <pkg>=<ms>,... group_ms <m>
//
// where group_ms sums the packages named by -group (chroma by default).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

type benchCase struct {
	name    string
	markers []string
	argv    []string
}

type chunk struct {
	at   time.Duration
	data []byte
}

var (
	runs      = flag.Int("n", 15, "runs of each case")
	cols      = flag.Int("cols", 140, "terminal width")
	rows      = flag.Int("rows", 40, "terminal height")
	answer    = flag.Bool("answer", true, "answer the terminal queries (background colour, device attributes) as a terminal does")
	inittrace = flag.Int("inittrace", 0, "runs of each case under GODEBUG=inittrace=1")
	dump      = flag.Bool("dump", false, "print what the first run of each case wrote")
	timeout   = flag.Duration("timeout", 10*time.Second, "give up on a run after this long")
	group     = flag.String("group", "chroma", "with -inittrace, also sum the packages whose path holds this")
)

func main() {
	var cases []benchCase
	flag.Func("case", "name|marker[|marker...]|program args... (repeatable)", func(s string) error {
		parts := strings.Split(s, "|")
		if len(parts) < 3 {
			return errors.New("want name|marker|program args")
		}
		argv := strings.Fields(parts[len(parts)-1])
		if len(argv) == 0 {
			return errors.New("no program")
		}
		cases = append(cases, benchCase{name: parts[0], markers: parts[1 : len(parts)-1], argv: argv})
		return nil
	})
	flag.Parse()
	if len(cases) == 0 {
		fmt.Fprintln(os.Stderr, "startbench: no -case given")
		os.Exit(2)
	}

	times := map[string][]time.Duration{} // by case and marker
	for r := 0; r < *runs; r++ {
		// Rotate the order so no case always runs first or last.
		for i := range cases {
			c := cases[(i+r)%len(cases)]
			got, out, err := runOnce(c, nil)
			if err != nil {
				fmt.Fprintf(os.Stderr, "startbench: %s: %v\n%q\n", c.name, err, tail(out))
				os.Exit(1)
			}
			if *dump && r == 0 {
				fmt.Printf("dump %s %q\n", c.name, out)
			}
			for k, m := range c.markers {
				times[c.name+" "+m] = append(times[c.name+" "+m], got[k])
			}
		}
	}
	for _, c := range cases {
		for _, m := range c.markers {
			ds := times[c.name+" "+m]
			if len(ds) == 0 {
				continue
			}
			slices.Sort(ds)
			fmt.Printf("case %s %s median_ms %.2f min_ms %.2f max_ms %.2f runs %d\n",
				c.name, strings.ReplaceAll(m, " ", "_"), ms(ds[len(ds)/2]), ms(ds[0]), ms(ds[len(ds)-1]), len(ds))
		}
	}

	if *inittrace > 0 {
		for _, c := range cases {
			var totals, lasts, groups []time.Duration
			perPkg := map[string]time.Duration{}
			npkg := 0
			for r := 0; r < *inittrace; r++ {
				_, out, err := runOnce(c, []string{"GODEBUG=inittrace=1"})
				if err != nil {
					fmt.Fprintf(os.Stderr, "startbench: %s under inittrace: %v\n", c.name, err)
					os.Exit(1)
				}
				inits := parseInits(out)
				var total, last, grp time.Duration
				for _, in := range inits {
					total += in.clock
					if *group != "" && strings.Contains(in.pkg, *group) {
						grp += in.clock
					}
					perPkg[in.pkg] += in.clock
					last = max(last, in.at+in.clock)
				}
				totals, lasts, groups, npkg = append(totals, total), append(lasts, last), append(groups, grp), len(inits)
			}
			slices.Sort(totals)
			slices.Sort(lasts)
			slices.Sort(groups)
			type pc struct {
				pkg string
				d   time.Duration
			}
			var top []pc
			for p, d := range perPkg {
				top = append(top, pc{p, d / time.Duration(*inittrace)})
			}
			sort.Slice(top, func(i, j int) bool { return top[i].d > top[j].d })
			var names []string
			for _, t := range top[:min(5, len(top))] {
				names = append(names, fmt.Sprintf("%s=%.2f", t.pkg, ms(t.d)))
			}
			fmt.Printf("init %s total_ms %.2f last_at_ms %.2f packages %d top %s group_ms %.2f\n",
				c.name, ms(totals[len(totals)/2]), ms(lasts[len(lasts)/2]), npkg, strings.Join(names, ","), ms(groups[len(groups)/2]))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func tail(b []byte) []byte {
	if len(b) > 600 {
		return b[len(b)-600:]
	}
	return b
}

// runOnce starts the case's program on a fresh pseudo-terminal and returns
// when each marker first appeared in its output, counted from exec.
func runOnce(c benchCase, env []string) ([]time.Duration, []byte, error) {
	master, slave, err := openPTY(*cols, *rows)
	if err != nil {
		return nil, nil, err
	}
	defer master.Close()
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}

	chunks := make(chan chunk, 256)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		slave.Close()
		return nil, nil, err
	}
	slave.Close()
	go func() {
		defer close(chunks)
		buf := make([]byte, 64<<10)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				chunks <- chunk{at: time.Since(start), data: bytes.Clone(buf[:n])}
			}
			if err != nil {
				return // EIO once the program has closed the terminal
			}
		}
	}()
	exited := make(chan time.Duration, 1)
	go func() {
		cmd.Wait()
		exited <- time.Since(start)
	}()

	got := make([]time.Duration, len(c.markers))
	found := 0
	var out []byte
	scanned := 0 // where the search for queries resumes
	deadline := time.After(*timeout)
	quitSent := false
	var exitAt time.Duration
	for found < len(c.markers) || exitAt == 0 {
		select {
		case ch, ok := <-chunks:
			if !ok {
				chunks = nil
				continue
			}
			out = append(out, ch.data...)
			if *answer {
				scanned = answerQueries(master, out, scanned)
			}
			for k, m := range c.markers {
				if got[k] == 0 && m != "EXIT" && bytes.Contains(out, []byte(special(m))) {
					got[k] = ch.at
					found++
				}
			}
		case at := <-exited:
			exitAt = at
			for k, m := range c.markers {
				if got[k] == 0 && m == "EXIT" {
					got[k] = at
					found++
				}
			}
			if found < len(c.markers) {
				return nil, out, fmt.Errorf("exited before writing %q", c.markers)
			}
		case <-deadline:
			cmd.Process.Kill()
			if quitSent {
				deadline = nil // measured; it only would not quit: wait for the kill
				continue
			}
			<-exited
			return nil, out, fmt.Errorf("no %q within %s", c.markers, *timeout)
		}
		if found == len(c.markers) && exitAt == 0 && !quitSent {
			// Every marker seen: quit as a user would (ctrl+c), or kill it
			// if it does not go.
			quitSent = true
			master.Write([]byte{3})
			deadline = time.After(3 * time.Second)
		}
	}
	// Drain whatever the program wrote last (the trace of an inittrace run
	// arrives before the frames; this is only tidiness).
	for chunks != nil {
		select {
		case ch, ok := <-chunks:
			if !ok {
				chunks = nil
				break
			}
			out = append(out, ch.data...)
		case <-time.After(200 * time.Millisecond):
			chunks = nil
		}
	}
	return got, out, nil
}

// special turns the marker ALTSCREEN into the sequence that enters the
// alternate screen: the first thing a full-screen program draws.
func special(m string) string {
	if m == "ALTSCREEN" {
		return "\x1b[?1049h"
	}
	return m
}

// answerQueries replies to the queries a terminal answers at start-up: the
// background colour (OSC 11) and the primary device attributes (DA1), which
// Bubble Tea and lipgloss send.
func answerQueries(master *os.File, out []byte, from int) int {
	for {
		rest := out[from:]
		osc := bytes.Index(rest, []byte("\x1b]11;?"))
		da := bytes.Index(rest, []byte("\x1b[c"))
		switch {
		case osc >= 0 && (da < 0 || osc < da):
			master.Write([]byte("\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\"))
			from += osc + 6
		case da >= 0:
			master.Write([]byte("\x1b[?62;22c"))
			from += da + 3
		default:
			// Keep a few bytes in case a query is split across reads.
			return max(from, len(out)-8)
		}
	}
}

type initLine struct {
	pkg       string
	at, clock time.Duration
}

var initRE = regexp.MustCompile(`init ([^ ]+) @([0-9.]+) ms, ([0-9.]+) ms clock`)

func parseInits(out []byte) []initLine {
	var lines []initLine
	for _, m := range initRE.FindAllSubmatch(out, -1) {
		at, _ := strconv.ParseFloat(string(m[2]), 64)
		clock, _ := strconv.ParseFloat(string(m[3]), 64)
		lines = append(lines, initLine{pkg: string(m[1]),
			at: time.Duration(at * float64(time.Millisecond)), clock: time.Duration(clock * float64(time.Millisecond))})
	}
	return lines
}

// openPTY opens a pseudo-terminal pair of the given size.
func openPTY(cols, rows int) (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("unlockpt: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("ptsname: %w", err)
	}
	if err := unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(rows), Col: uint16(cols)}); err != nil {
		master.Close()
		return nil, nil, fmt.Errorf("set size: %w", err)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}
