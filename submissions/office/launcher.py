"""Start unoserver's server with the system Python, which alone has `uno` (python3-uno).

Run as `python3 -I launcher.py SITE_PACKAGES [unoserver's options]`: the virtualenv's
site-packages (where unoserver is installed) is appended to the path, so the system's
packages still win. Only the standard library and unoserver are imported here.

Two things unoserver does not do are done here:
- its start-up waits a fixed 7 s (sleep 5 then 2) and retries the UNO connection every
  2 s; LibreOffice is up in about a second (0.3 s with a profile already made), so
  the waits are capped at 0.2 s: the parent waits for the XML-RPC answer instead;
- the process stops when its parent dies (PR_SET_PDEATHSIG, set by the parent; and,
  since LibreOffice does not always stop on the SIGTERM unoserver passes on, a thread
  watching the parent kills the process group), and then removes LibreOffice's
  profile, so a killed worker leaves nothing behind.
  Otherwise the profile is the parent's: kept across restarts (a new one costs 1 s).
"""

import os
import shutil
import signal
import sys
import threading
import time

_sleep = time.sleep


class _ShortWaits:
    """`time` as unoserver's server sees it, with its waits shortened."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds):
        _sleep(min(seconds, 0.2))


def run(argv):
    sys.path.append(argv[1])
    sys.argv = ["unoserver", *argv[2:]]
    from unoserver import server  # type: ignore[import-untyped]

    server.time = _ShortWaits()
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        return server.main()
    finally:
        if os.getppid() != parent:
            _clean_up()


# After the parent's death, how long LibreOffice is given to stop on the SIGTERM
# unoserver passes on before it is killed (it sometimes hangs on it).
_GRACE_SECONDS = 3


def _watch_parent(parent):
    """The parent died (PR_SET_PDEATHSIG's SIGTERM may never make unoserver return,
    when LibreOffice does not stop on it): clean up and leave, whatever unoserver does."""
    while os.getppid() == parent:
        _sleep(0.5)
    _sleep(_GRACE_SECONDS)
    _clean_up()
    os._exit(0)


def _clean_up():
    """Nobody else removes the profile once the parent is gone (otherwise the parent
    keeps it for the next start, and removes it)."""
    _kill_the_rest_of_the_group()
    if "--user-installation" in sys.argv:
        shutil.rmtree(sys.argv[sys.argv.index("--user-installation") + 1], True)


def _kill_the_rest_of_the_group():
    """LibreOffice (the soffice script, oosplash, soffice.bin) is in this process's
    group (the parent starts it in a session of its own): whatever the SIGTERM that
    unoserver passed on left running is killed, before its profile is removed."""
    group = os.getpgid(0)
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            if os.getpgid(int(entry)) == group:
                os.kill(int(entry), signal.SIGKILL)
        except OSError:  # gone meanwhile, or not ours
            continue
    _sleep(0.2)


if __name__ == "__main__":
    sys.exit(run(sys.argv))
