"""netpharm.report"""
