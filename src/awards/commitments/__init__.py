"""Life after the decision: a laureate's agreement, reports, indicators and payments, as its
call kind's `commitments:` section declares them."""
