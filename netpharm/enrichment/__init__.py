"""netpharm.enrichment"""
