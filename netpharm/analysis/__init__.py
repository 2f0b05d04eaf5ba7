"""netpharm.analysis"""
