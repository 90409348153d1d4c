"""The colours of messages under a form, one palette for every dialog: red for refusals and
errors, amber for warnings, green for what was done, grey for hints."""

ERROR_COLOR = "#a00000"
WARNING_COLOR = "#8a5a00"
DONE_COLOR = "#006100"
HINT_COLOR = "#555"

ERROR_STYLE = f"QLabel {{ color: {ERROR_COLOR}; }}"
REFUSED_STYLE = f"QLabel {{ color: {ERROR_COLOR}; font-weight: bold; }}"
WARNING_STYLE = f"QLabel {{ color: {WARNING_COLOR}; }}"
DONE_STYLE = f"QLabel {{ color: {DONE_COLOR}; }}"
HINT_STYLE = f"QLabel {{ color: {HINT_COLOR}; }}"
