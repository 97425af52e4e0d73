"""Realistic demo data, seeded, at any size."""

from kequn.demo.generator import DemoFiles, generate_demo

__all__ = ["DemoFiles", "generate_demo"]
