; Inno Setup 6 script: the Windows installer of custmd's one-folder bundle.
;
; Build dist\custmd\ first (py packaging\build.py, which also runs this script when ISCC.exe is
; found), or by hand:
;   iscc /DAppVersion=0.1.0 [/DIconFile=..\..\build\pyinstaller\custmd.ico] packaging\windows\custmd.iss
; Output: dist\custmd-<version>-windows-x64-setup.exe
;
; A per-user installation without administrator rights (%LOCALAPPDATA%\Programs\custmd), with
; a Start-menu shortcut; an administrator may choose to install for all users instead. The
; installer writes no user data: the app keeps its settings in %APPDATA%\custmd and its
; database, backups and log in %LOCALAPPDATA%\custmd (platformdirs, custmd_gui.settings),
; created on first start and left in place by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; Relative paths are relative to this script's folder.
#define DistDir "..\..\dist\custmd"

[Setup]
; Never change the AppId: Windows finds the installed version (upgrade, uninstall) by it.
AppId={{5B8E2C41-7D3A-4F0B-9E61-2A4C8D17F3B9}
AppName=custmd
AppVerName=custmd {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=custmd
VersionInfoVersion={#AppVersion}
VersionInfoDescription=custmd 客户主数据维护 Setup
DefaultDirName={autopf}\custmd
DefaultGroupName=custmd
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=custmd-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName=custmd {#AppVersion}
UninstallDisplayIcon={app}\custmd.exe
; custmd.exe must not be running while its files are replaced
CloseApplications=yes
#ifdef IconFile
SetupIconFile={#IconFile}
#endif

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: custmd.exe (the window), custmd-cli.exe (the commands) and
; _internal\ with Python, Qt and the app's files.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version's bundle replaces the old one's entirely (no stale modules left behind).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\custmd"; Filename: "{app}\custmd.exe"; Comment: "客户主数据维护 / customer master data"
Name: "{autoprograms}\custmd (演示 demo)"; Filename: "{app}\custmd.exe"; Parameters: "--demo"; Comment: "演示数据库 / demo database"
Name: "{autodesktop}\custmd"; Filename: "{app}\custmd.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\custmd.exe"; Description: "{cm:LaunchProgram,custmd}"; Flags: nowait postinstall skipifsilent
