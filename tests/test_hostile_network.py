"""Nothing reaches the network: an OCR extraction with internet sockets forbidden.

The extraction runs in a child process under a seccomp filter that kills the
process on any ``socket(AF_INET | AF_INET6, ...)``, the call every DNS lookup and
connection starts with, whether made from Python or from native code such as
onnxruntime's telemetry. The filter is checked first on a process that does open
such a socket.
"""

from __future__ import annotations

import platform
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from cjk_font import CJK_FONT
from PIL import Image, ImageDraw, ImageFont

REPOSITORY = Path(__file__).resolve().parents[1]
# (audit architecture, socket syscall number) of the machines the tests run on.
ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}

SANDBOX = textwrap.dedent(
    """
    import ctypes, struct, sys
    ARCH, NR_SOCKET = {arch:#x}, {nr}
    LD, JEQ, RET = 0x20, 0x15, 0x06
    ALLOW, KILL = 0x7FFF0000, 0x80000000
    program = [
        (LD, 0, 0, 4), (JEQ, 0, 5, ARCH), (LD, 0, 0, 0), (JEQ, 0, 3, NR_SOCKET),
        (LD, 0, 0, 16), (JEQ, 2, 0, 2), (JEQ, 1, 0, 10),
        (RET, 0, 0, ALLOW), (RET, 0, 0, KILL),
    ]
    code = b"".join(struct.pack("HBBI", *op) for op in program)
    buffer = ctypes.create_string_buffer(code)
    fprog = struct.pack("HL", len(program), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
    prog = ctypes.create_string_buffer(fprog)
    assert libc.prctl(22, 2, ctypes.addressof(prog), 0, 0) == 0  # seccomp filter
    """
)


def _sandboxed(body: str) -> subprocess.CompletedProcess[str]:
    arch, nr = ARCHES[platform.machine()]
    code = SANDBOX.format(arch=arch, nr=nr) + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_sandbox_kills_a_process_opening_an_internet_socket() -> None:
    result = _sandboxed("import socket\nsocket.socket(socket.AF_INET)\n")
    assert result.returncode == -signal.SIGSYS
    local = _sandboxed("import socket\nsocket.socketpair()\nprint('ok')\n")
    assert local.returncode == 0 and local.stdout.strip() == "ok"


def test_ocr_extraction_makes_no_network_call(tmp_path: Path) -> None:
    image = Image.new("L", (900, 200), 255)
    font = ImageFont.truetype(CJK_FONT, 40)
    ImageDraw.Draw(image).text((20, 70), "本项目预算资金746.1万元", font=font, fill=0)
    path = tmp_path / "scan.png"
    image.save(path, dpi=(200, 200))
    result = _sandboxed(
        f"""
        from pathlib import Path
        import nlp
        result = nlp.extract(Path({str(path)!r}))
        print(result.document.ocr_pages, [a.to_dict()["value"] for a in result.amounts])
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "1 ['7461000.00']"
