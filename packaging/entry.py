"""The frozen build's entry script: the same dispatch as the ``casustafel`` console script.

PyInstaller needs a script file rather than a ``module:function`` entry point.
"""

from ui.launcher import entry_point

if __name__ == "__main__":
    entry_point()
