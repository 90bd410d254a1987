"""Runs a command with its stderr on a fresh pseudo-terminal (stdin and
stdout not), prints what it wrote there, and exits with its status: how the
CLI tests see progress lines that appear only when stderr is a terminal.
With --stdout first, stdout is the terminal instead and what the command
wrote to stderr is passed on to this script's stderr: how the tests see a
tool refuse binary output to a terminal."""
import os
import pty
import subprocess
import sys

args = sys.argv[1:]
on_stdout = args[:1] == ["--stdout"]
if on_stdout:
    args = args[1:]
master, slave = pty.openpty()
proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=slave if on_stdout else subprocess.DEVNULL,
                        stderr=subprocess.PIPE if on_stdout else slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every writer closed the terminal
        break
    if not chunk:
        break
    out += chunk
if on_stdout:
    sys.stderr.write(proc.stderr.read().decode(errors="replace"))
else:
    sys.stdout.write(out.decode(errors="replace"))
sys.exit(proc.wait())
