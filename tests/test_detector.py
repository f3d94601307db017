"""The field detector: input checks, mapping back to page pixels, offline training."""

from __future__ import annotations

import socket
from pathlib import Path

import cv2
import numpy as np
import pytest

from detectors import FIELD_CLASSES, DetectorSettings, FieldDetector
from detectors.dataset import read_rgb, roi_labels
from detectors.evaluate import match, truth_boxes
from detectors.onnx_backend import OnnxYolo, letterbox
from detectors.types import iou
from tests.conftest import GEOMETRY_ONLY, synth_cfg

WEIGHTS = Path(__file__).resolve().parents[1] / "detectors" / "weights" / "fields.pt"


@pytest.fixture(scope="module")
def detector():
    return FieldDetector.load(WEIGHTS)


@pytest.fixture(scope="module")
def clean_pages(tmp_path_factory):
    """Four straight 300-dpi scans in held-out fonts, with their truth boxes."""
    from data.synth.cli import generate

    out = tmp_path_factory.mktemp("det_pages")
    generate(synth_cfg(f"out={out}", "pages=4", "seed=21", "workers=1", "synth/fonts=heldout",
                       *GEOMETRY_ONLY, "synth.degrade.dpi=[300,300]", "synth.degrade.rotation_sigma=0"))
    pages = []
    for path in sorted((out / "yolo" / "images").iterdir()):
        page = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        pages.append((page, truth_boxes(out / "yolo" / "labels" / f"{path.stem}.txt", page.shape)))
    return pages


def test_class_names_travel_in_the_weights(detector):
    assert detector.names == list(FIELD_CLASSES)
    assert 0.1 <= detector.roi_top <= 1.0 and detector.imgsz >= 320


def test_empty_input_gives_empty_output(detector):
    assert detector([]) == []


@pytest.mark.parametrize(("page", "message"), [
    (np.zeros((100, 100, 3), np.float32), "dtype uint8"),
    (np.zeros((100, 100, 4), np.uint8), "shape"),
    (np.zeros((100,), np.uint8), "shape"),
    (np.zeros((8, 8, 3), np.uint8), "too small"),
    ("page.jpg", "numpy array"),
])
def test_bad_pages_are_a_clear_value_error(detector, page, message):
    with pytest.raises(ValueError, match=message):
        detector([page])


def test_a_single_array_instead_of_a_list_is_refused(detector):
    with pytest.raises(ValueError, match="list of pages"):
        detector(np.zeros((100, 100, 3), np.uint8))


def test_boxes_map_back_to_page_pixels(detector, clean_pages):
    """Known fields are found where they were drawn (IoU >= 0.5), at full size and at half size."""
    found = {1: 0, 2: 0}
    total = 0
    for page, truth in clean_pages:
        total += len(truth)
        for factor in (1, 2):
            small = cv2.resize(page, (page.shape[1] // factor, page.shape[0] // factor),
                               interpolation=cv2.INTER_AREA)
            scaled = [(label, tuple(v / factor for v in box)) for label, box in truth]
            pairs, _ = match(scaled, detector([small])[0])
            found[factor] += sum(det is not None for _, _, det, _ in pairs)
    assert total >= 12
    for factor, n in found.items():
        assert n / total >= 0.8, f"1/{factor} size: found {n} of {total} known fields in place"


@pytest.mark.parametrize("weights", ["fields.pt", "fields.int8.onnx"])
def test_a_call_at_another_input_size_maps_boxes_back_too(clean_pages, weights):
    """The pipeline looks again at 1024 px at a page whose header it missed (`retry_imgsz`)."""
    detector = FieldDetector.load(WEIGHTS.with_name(weights))
    found = total = 0
    for page, truth in clean_pages:
        pairs, _ = match(truth, detector([page], imgsz=1024)[0])
        found, total = found + sum(det is not None for _, _, det, _ in pairs), total + len(truth)
    assert found / total >= 0.8, f"found {found} of {total} known fields in place at 1024 px"


def test_grayscale_and_huge_pages(detector, clean_pages):
    page, _truth = clean_pages[0]
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    assert detector([gray])[0], "a grayscale page finds fields too"
    huge = cv2.resize(page, (page.shape[1] * 2, page.shape[0] * 2), interpolation=cv2.INTER_LINEAR)
    detections = detector([huge])[0]
    assert detections
    for d in detections:
        assert 0 <= d.box[0] < d.box[2] <= huge.shape[1] and 0 <= d.box[1] < d.box[3] <= huge.shape[0]


def test_roi_labels_cut_at_the_region_edge():
    assert roi_labels(["0 0.5 0.9 0.2 0.1"], 0.6) == []  # wholly below the region
    (line,) = roi_labels(["0 0.5 0.55 0.2 0.1"], 0.6)  # straddles the edge: cut there
    _, _, y, _, h = map(float, line.split())
    assert abs((y + h / 2) - 1.0) < 1e-6


def test_missing_weights_never_reach_for_the_network(tmp_path):
    with pytest.raises(FileNotFoundError, match="weights not found"):
        FieldDetector.load(tmp_path / "yolo11n.pt", DetectorSettings())


def test_first_import_on_a_new_machine_prints_nothing(tmp_path):
    """ultralytics announces its new settings file on stdout the first time it is imported; nameh
    keeps that out of its output (it failed this module's doctest on a fresh machine) and leaves
    ultralytics' own logging working afterwards."""
    import os
    import subprocess
    import sys

    code = ("from detectors.offline import load_ultralytics\n"
            "u = load_ultralytics()\n"
            "u.utils.LOGGER.info('after import')\n")
    env = {k: v for k, v in os.environ.items() if k != "YOLO_CONFIG_DIR"}
    env["NAMEH_CACHE"] = str(tmp_path)
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root,
                         check=True)
    assert out.stdout == "after import\n"
    assert list(tmp_path.rglob("settings.json"))  # the settings file was made, quietly


def test_training_runs_one_epoch_offline(tmp_path, monkeypatch):
    """One epoch on 8 tiny pages, then a prediction, with every socket refused; the validation
    corpus is missing, so the task generates it inside the running Hydra (as the command does)."""
    from detectors.train import generate_corpus, train_detector
    from tests.conftest import CONF_DIR

    generate_corpus(tmp_path / "train", 8, 1, "train")
    opened = []

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            opened.append(args)
            raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", NoSocket)
    monkeypatch.setattr(socket, "getaddrinfo", NoSocket)
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):  # as under @hydra.main
        cfg = compose(config_name="train_detector", overrides=[
            "trainer.epochs=1", "trainer.imgsz=160", "trainer.batch=4", "trainer.ultralytics.cache=false",
            f"data.train.path={tmp_path / 'train'}", f"data.val.path={tmp_path / 'val'}",
            "data.train.limit=8", "data.val.pages=4", "data.val.limit=4"])
        summary = train_detector(cfg, tmp_path / "run")  # generates the missing val corpus itself
    assert (tmp_path / "val" / "manifest.json").is_file()
    best = Path(summary["best"])
    assert best.is_file()
    trained = FieldDetector.load(best)
    assert trained.names == list(FIELD_CLASSES) and trained.imgsz == 160
    trained([np.full((700, 500, 3), 255, np.uint8)])
    assert opened == []


def test_a_fine_tune_starts_from_every_weight_of_its_checkpoint():
    """What `train()` builds from the model `start_from` hands it equals the checkpoint, class
    head included (`YOLO(yaml).load(pt)` alone left the 8-class output convolutions random)."""
    import torch

    from detectors.offline import load_ultralytics
    from detectors.train import start_from

    ultralytics = load_ultralytics()
    model = start_from(ultralytics, "yolo11n.yaml", WEIGHTS)
    rebuilt = ultralytics.nn.tasks.DetectionModel(model.model.yaml, nc=len(FIELD_CLASSES), verbose=False)
    rebuilt.load(model.model)  # as ultralytics' trainer does with weights=model.model
    source = torch.load(WEIGHTS, map_location="cpu", weights_only=False)["model"].float().state_dict()
    differ = [k for k, v in rebuilt.state_dict().items() if not torch.equal(v.float(), source[k].float())]
    assert differ == [] and model.ckpt is not None
    assert list(model.model.names.values()) == list(FIELD_CLASSES)
    with pytest.raises(FileNotFoundError, match="init_weights not found"):
        start_from(ultralytics, "yolo11n.yaml", WEIGHTS.with_name("absent.pt"))


def test_the_onnx_export_finds_what_the_checkpoint_finds(geometry_corpus):
    """The shipped ONNX (what the pipeline runs) against the checkpoint it was exported from."""
    onnx = WEIGHTS.with_suffix(".onnx")
    pages = [read_rgb(p) for p in sorted((geometry_corpus / "yolo" / "images").iterdir())[:3]]
    torch_detector = FieldDetector.load(WEIGHTS)
    onnx_detector = FieldDetector.load(onnx)
    assert isinstance(onnx_detector.model, OnnxYolo)
    assert onnx_detector.names == list(FIELD_CLASSES) and onnx_detector.roi_top == 0.6
    # one page a call: ultralytics letterboxes a batch of unequal pages to a square, OnnxYolo
    # each page to its own rectangle, and the network's boxes shift a little with the padding
    for page in pages:
        a, b = torch_detector([page])[0], onnx_detector([page])[0]
        assert [d.label for d in a] == [d.label for d in b]
        assert all(np.allclose(x.box, y.box, atol=1.0) for x, y in zip(a, b, strict=True))


def test_onnx_backend_matches_ultralytics_own_onnx_predictor(geometry_corpus):
    """OnnxYolo redoes ultralytics' letterbox and NMS: same boxes as its predictor on the file."""
    from detectors.offline import load_ultralytics

    onnx = WEIGHTS.with_suffix(".onnx")
    reference = load_ultralytics().YOLO(str(onnx), task="detect")
    ours = OnnxYolo.load(onnx)
    compared = 0
    for path in sorted((geometry_corpus / "yolo" / "images").iterdir())[:3]:
        roi = read_rgb(path)[:1200]
        want = reference.predict([np.ascontiguousarray(roi[:, :, ::-1])], imgsz=ours.imgsz,
                                 conf=0.25, iou=0.5, verbose=False)[0].boxes.data.numpy()
        got = ours([roi], conf=0.25, iou=0.5)[0]
        assert got.shape == want.shape
        order_w, order_g = np.lexsort(want[:, :2].T), np.lexsort(got[:, :2].T)
        assert np.array_equal(want[order_w, 5], got[order_g, 5])
        assert np.allclose(want[order_w, :4], got[order_g, :4], atol=1.0)
        assert np.allclose(want[order_w, 4], got[order_g, 4], atol=0.01)
        compared += len(got)
    assert compared > 0


def test_onnx_detector_refuses_another_device():
    with pytest.raises(ValueError, match="CPU only"):
        FieldDetector.load(WEIGHTS.with_suffix(".onnx"), DetectorSettings(device="cuda:0"))


def test_letterbox_pads_to_the_stride_and_maps_boxes_back():
    image, place = letterbox(np.zeros((700, 1000, 3), np.uint8), 800, stride=32)
    assert image.shape == (576, 800, 3)  # 560 rows + 16 of padding, 8 above and 8 below
    assert (place.gain, place.left, place.top) == (0.8, 0, 8)
    assert image[0, 0].tolist() == [114, 114, 114] and image[8, 0].tolist() == [0, 0, 0]
    back = place.to_page(np.array([[0.0, 8.0, 800.0, 568.0], [-5, 0, 900, 600]]), (700, 1000))
    assert np.allclose(back, [[0, 0, 1000, 700], [0, 0, 1000, 700]])


def _matched(a, b, min_iou: float) -> int:
    """How many boxes of `a` have a box of `b` with the same label at IoU >= min_iou."""
    return sum(any(x.label == y.label and iou(x.box, y.box) >= min_iou for y in b) for x in a)


def test_the_int8_export_finds_what_the_float_export_finds(clean_pages):
    """The shipped int8 model (what the pipeline runs) against the float export it came from."""
    float_detector = FieldDetector.load(WEIGHTS.with_suffix(".onnx"))
    int8_detector = FieldDetector.load(WEIGHTS.with_suffix(".int8.onnx"))
    assert int8_detector.names == float_detector.names and int8_detector.roi_top == 0.6
    found = matched = 0
    for page, _ in clean_pages:
        a, b = float_detector([page])[0], int8_detector([page])[0]
        found, matched = found + len(a), matched + _matched(a, b, 0.8)
    assert found >= 20 and matched >= 0.95 * found


def test_quantizing_keeps_the_metadata_and_the_head_in_float(tmp_path, clean_pages):
    import onnx

    from detectors.predictor import read_metadata
    from detectors.quantize import float_nodes, quantize_detector

    source = WEIGHTS.with_suffix(".onnx")
    graph = onnx.load(str(source))
    kept = set(float_nodes(graph))
    convs = [n.name for n in graph.graph.node if n.op_type == "Conv"]
    head_out = [c for c in convs if c.startswith("/model.23/") and c.endswith(".2/Conv")]
    assert len(head_out) == 6 and kept >= set(head_out) and "/model.23/dfl/conv/Conv" in kept
    assert "/model.0/conv/Conv" not in kept and sum(c in kept for c in convs) == 7
    target = quantize_detector(source, tmp_path / "q.onnx", [clean_pages[0][0]])
    meta = read_metadata(target)
    assert meta["names"] == list(FIELD_CLASSES) and meta["quantized"]["calibration_pages"] == 1
    assert FieldDetector.load(target).names == list(FIELD_CLASSES)
    assert any(n.op_type == "QuantizeLinear" for n in onnx.load(str(target)).graph.node)


def test_quantizing_refuses_what_it_cannot_quantize(tmp_path):
    from onnx import TensorProto, helper

    from detectors.quantize import float_nodes, quantize_detector

    with pytest.raises(ValueError, match="not a checkpoint"):
        quantize_detector(WEIGHTS, tmp_path / "q.onnx", [np.zeros((64, 64, 3), np.uint8)])
    with pytest.raises(ValueError, match="no calibration pages"):
        quantize_detector(WEIGHTS.with_suffix(".onnx"), tmp_path / "q.onnx", [])
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="/model.0/Relu")], "g", [x],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    with pytest.raises(ValueError, match="no DFL"):
        float_nodes(helper.make_model(graph))
