# Loaded by `jupyter nbconvert --config` from lib/notebook/jupyter.ts.
#
# tslab sends no execute_input/execute_result messages, so nbconvert leaves
# every cell's execution_count empty, and a failing cell gets only a stderr
# stream, no error output. The kernel's execute_reply does say what happened:
# 'ok' or 'error' with the count, 'abort' (no count) for the cells tslab
# skips after a failure. Recording it here makes the executed notebook look
# like any Jupyter kernel's: counts on cells that ran, an error output on the
# cell that failed, no count on the cells that never ran.
from nbformat.v4 import new_output


def _record_execute_reply(cell, cell_index, execute_reply):
    content = (execute_reply or {}).get('content', {})
    count = content.get('execution_count')
    if count:
        cell['execution_count'] = count
    if content.get('status') == 'error' and not any(o.get('output_type') == 'error' for o in cell.get('outputs', [])):
        cell.setdefault('outputs', []).append(new_output(
            'error',
            ename=content.get('ename') or 'CellError',
            evalue=content.get('evalue') or 'the kernel reported this cell as failed (see its stderr above)',
            traceback=content.get('traceback') or [],
        ))


c.ExecutePreprocessor.on_cell_executed = _record_execute_reply  # noqa: F821 (c is the traitlets config)
