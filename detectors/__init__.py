"""The field detector (issue 6): an ultralytics YOLO model behind nameh's own interface. Not built yet."""
