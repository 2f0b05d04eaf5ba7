# synthetic PyMOL script (test fixture)
