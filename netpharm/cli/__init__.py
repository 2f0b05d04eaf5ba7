"""netpharm.cli"""
