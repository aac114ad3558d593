"""The ambassadors' outings as coordinators read them: the list and its totals."""
from inbox.outings.report import (PLACE_LABELS, WEATHER_LABELS, OutingRow, OutingsReport,
                                  Total, outings_report)

__all__ = ["PLACE_LABELS", "WEATHER_LABELS", "OutingRow", "OutingsReport", "Total",
           "outings_report"]
