"""netpharm.docking"""
