<#
.SYNOPSIS
    Makes a copy of the running PowerShell with its assemblies precompiled (ReadyToRun), as PowerShell's own release
    packages ship them, to measure start-up against.
.DESCRIPTION
    PowerShell's release packages (MSI, zip, tar.gz, deb, rpm, pkg) are published ReadyToRun; the PowerShell .NET tool
    is IL only, so under it every PowerShell method a module's first import and calls touch is compiled at first use,
    and a module looks slower to load than it is for users. This copies $PSHOME (or -PowerShell's folder) to
    -Destination and precompiles each of its managed DLLs for this machine with crossgen2, against the runtime the copy
    runs on. crossgen2 is the package the module's Release build restores (Microsoft.NETCore.App.Crossgen2.<rid>).
    Prints the path of the copy's pwsh. PowerShell 7 only.
.EXAMPLE
    $pwsh = pwsh tests/WeComPS.Benchmarks/New-PrecompiledPowerShell.ps1
    & $pwsh tests/WeComPS.Benchmarks/Measure-ModuleLoad.ps1 -Runs 21
#>
[CmdletBinding()]
param(
    [string] $PowerShell = $PSHOME,

    [string] $Destination = (Join-Path $PSScriptRoot '../../.tools/pwsh-precompiled')
)

$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSEdition -ne 'Core') { throw 'This needs PowerShell 7: Windows PowerShell is precompiled already.' }

$runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
$architecture = "$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture)".ToLowerInvariant()
$os, $targetOs = if ($IsWindows) { 'win', 'windows' } elseif ($IsMacOS) { 'osx', 'osx' } else { 'linux', 'linux' }
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$crossgen = Get-ChildItem (Join-Path $packages "microsoft.netcore.app.crossgen2.$os-$architecture") -Directory -ErrorAction Ignore |
    Sort-Object { [version]($_.Name -replace '-.*') } -Descending |
    ForEach-Object { Join-Path $_.FullName "tools/crossgen2$(if ($IsWindows) { '.exe' })" } |
    Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $crossgen) { throw "crossgen2 is not in ${packages}: build the module first (dotnet build WeComPS.sln -c Release restores it)." }

if (Test-Path $Destination) { Remove-Item $Destination -Recurse -Force }
Copy-Item $PowerShell $Destination -Recurse
$compiled = 0
foreach ($dll in Get-ChildItem $PowerShell -Filter *.dll) {
    # Native DLLs and those already precompiled are refused; their copies stay as they are. The patterns are quoted,
    # so crossgen2 expands them, not PowerShell.
    $output = & $crossgen $dll.FullName -o (Join-Path $Destination $dll.Name) -r "$runtime*.dll" -r "$PowerShell/*.dll" --targetos $targetOs --targetarch $architecture -O 2>&1
    if ($LASTEXITCODE) { Write-Verbose "$($dll.Name) left as it is: $($output | Select-Object -Last 1)"; Copy-Item $dll.FullName $Destination -Force }
    else { $compiled++ }
}

Write-Verbose "$compiled assemblies precompiled with $crossgen"
Join-Path (Resolve-Path $Destination) "pwsh$(if ($IsWindows) { '.exe' })"
