"""The render step (DESIGN.md contract 5): stack outputs → developer scripts, kubeconfigs, RBAC, admin files
and guides. Entry point: `render.render_step.render`.

The package, by concern:
- inputs: `outputs_reader` (where outputs come from: `OutputsSource`, the file/folder forms), `terraform_cloud`
  (the workspaces as a source) and `terraform_cloud_client` (its API client), `pair_outputs` (the pair stacks'
  outputs checked, by sign-in), `client_configs` (GKE ClientConfigs), `inputs` (all of them checked together);
  bounded reading: `https` (the one TLS setup and HTTPS bounds, doctor's too), on `stacks.input_files` and
  `stacks.json_input` (files and JSON, every reader's);
- the pair view: `pairs` (context names, kubeconfig entries, subjects, bindings), `kubeconfig`, `rbac`;
- the files by artifact: `developer_files` (per stack and all-clusters scripts), `admin` (per cluster kind:
  one table, a module per kind), `guides` (DIR/README.md and the stacks' READMEs);
- where and how they are written: `layout` (names, folders, one `mode(kind, secret)`), `tree` (all or nothing);
- `templating` (the jinja2 environments and filters of `templates/`), `yaml_text`, `selection` (`--stacks`);
- `render_step`: the order of it all.

It runs where only the outputs exist, so it never imports cdktf, jsii or a provider package
(tests/test_layering.py).
"""
