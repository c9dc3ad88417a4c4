# BAD-INPUTS rows 17-35 that need their own end-to-end or integration
# cases (issue 9); see tests/bad-inputs.map.
