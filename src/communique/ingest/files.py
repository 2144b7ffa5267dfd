"""Opening input files without hanging: regular files only.

A FIFO opened for reading blocks until some writer opens it, and a device (``/dev/zero``
behind a symbolic link) never ends: both would hang a run. Files are opened without
blocking and checked with ``fstat`` on the open descriptor, so that nothing can swap the
path between the check and the read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from communique.errors import InputError

# What a non-regular file is, for the message.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def unreadable(origin: str, exc: OSError) -> InputError:
    """The coded error for a path that the operating system refuses to read."""
    if exc.errno == errno.ELOOP:
        hint = "the path is a loop of symbolic links: point the link at a real file"
    else:
        hint = "check that the path exists and is readable"
    return InputError(f"cannot read: {exc.strerror or exc}", where=origin, hint=hint)


def open_regular(path: str | Path, *, origin: str) -> BinaryIO:
    """Open ``path`` for binary reading; InputError (naming ``origin``) when it cannot be
    opened or is not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise unreadable(origin, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode):
            os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
    except OSError as exc:
        os.close(fd)
        raise unreadable(origin, exc) from None
    os.close(fd)
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise InputError(
        f"not a regular file: {kind}",
        where=origin,
        hint="give .txt, .html or .jsonl files, or folders of them",
    )
