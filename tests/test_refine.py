"""Growing short subject boxes along their line's ink (pipeline.refine)."""

import numpy as np
import pytest

from pipeline.refine import extend_along_line


def line_page() -> np.ndarray:
    """Words at x 100-180, 200-300 (gap 20 px: one word gap), a label at 330-380, text far left."""
    page = np.full((100, 600), 250, np.uint8)
    for x0, x1 in ((10, 40), (100, 180), (200, 300), (330, 380)):
        page[40:60, x0:x1] = 20
    return page


def test_grows_over_word_gaps_and_stops_at_a_wide_gap_and_at_the_label():
    label = (328.0, 38.0, 382.0, 62.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [label], max_gap=1.5)
    # left: the 20 px word gap is crossed, the 60 px gap to x=40 (2.5 heights) is not;
    # right: the 30 px gap to the label is under 1.5 heights, but the label's box ends the growth
    assert box == (100.0, 38.0, 300.0, 62.0)


def test_without_the_label_box_the_gap_before_it_still_counts():
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)  # the label's ink joins: hence the stop at its box


def test_boxes_on_other_lines_do_not_stop_growth():
    other_line = (150.0, 70.0, 250.0, 95.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [other_line], max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)


def test_a_box_never_shrinks_and_a_blank_page_changes_nothing():
    blank = np.full((100, 600), 250, np.uint8)
    assert extend_along_line(blank, (210.0, 38.0, 260.0, 62.0)) == (210.0, 38.0, 260.0, 62.0)
    page = np.full((100, 600), 250, np.uint8)
    page[40:60, 100:200] = 20
    loose = (50.0, 38.0, 320.0, 62.0)  # wider than its ink
    assert extend_along_line(page, loose) == loose


def test_unknown_field_to_extend_is_refused():
    from pipeline.predictor import PipelineSettings

    with pytest.raises(ValueError, match="extend: unknown fields"):
        PipelineSettings(extend=("subject",))
