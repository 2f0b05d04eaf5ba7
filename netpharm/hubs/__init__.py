"""cytoHubba's 12 hub-ranking methods (Chin et al. 2014), graph in, dict out.

A library used by the network stage (not a stage). Import the methods from their modules
(``local``, ``paths``, ``percolation``, ``rank``); the package itself imports nothing, so that
``netpharm.hubs.config`` can be imported without the numerical stack. EPC is in
``percolation.py``.
"""
