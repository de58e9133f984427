"""The render step (DESIGN.md contract 5): stack outputs → developer scripts, kubeconfigs, RBAC, admin scripts.

It runs where only the outputs exist, so it never imports cdktf, jsii or a provider package.
Entry point: `render.render_step.render`.
"""
