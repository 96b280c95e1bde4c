; Casustafel: per-user installer for Windows (Inno Setup 6), no administrator rights and no
; UAC prompt.  It installs the frozen build (dist\casustafel, made by packaging\build.py on
; Windows) into %LOCALAPPDATA%\Programs\Casustafel, adds a Start-menu entry for this user
; and an uninstaller under "Apps" for this user only.
;
;   python packaging\build.py
;   iscc /DAppVersion=0.1.0 packaging\windows\casustafel.iss   ->  dist\casustafel-0.1.0-setup.exe
;
; Portable use instead (a share or a USB stick): copy dist\casustafel there and put an empty
; file "casustafel-portable" beside casustafel.exe (docs/packaging.md).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{4F6C2A9E-3B1D-4C8E-9A57-2D0E61B7C3F4}
AppName=Casustafel
AppVersion={#AppVersion}
AppPublisher=Casustafel
; Per user: never asks for elevation, writes nothing outside the user's profile.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\Casustafel
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=casustafel-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName=Casustafel
UninstallDisplayIcon={app}\casustafel.exe
; The app keeps no case data in its folder; the store folder is the user's choice.
CloseApplications=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\casustafel\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the bundled libraries completely (no stale DLLs from the old one).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\Casustafel"; Filename: "{app}\casustafel.exe"; WorkingDir: "{userdocs}"
Name: "{userdesktop}\Casustafel"; Filename: "{app}\casustafel.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\casustafel.exe"; Description: "{cm:LaunchProgram,Casustafel}"; Flags: nowait postinstall skipifsilent
