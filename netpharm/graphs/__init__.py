"""Shared graph algorithms (shortest-path statistics) used by the network stage and the hub library.

A library package: it imports only numerical libraries and the core, never a stage.
"""
