<#
.SYNOPSIS
    Builds, tests and demonstrates WeComPS.
.DESCRIPTION
    Build   - builds the solution; the module is assembled in out/WeComPS.
    Test    - Build, then the xunit suites and the Pester suite against out/WeComPS.
    Pester  - the Pester suite only, against an already built out/WeComPS, in a fresh process.
    Demo    - Build, then reads the built-in sandbox corp with the module, as an admin would.
.EXAMPLE
    ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$module = Join-Path $PSScriptRoot 'out/WeComPS/WeComPS.psd1'

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE) { throw "'$Command' failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native { dotnet build (Join-Path $PSScriptRoot 'WeComPS.sln') -c $Configuration --nologo }
}

function Invoke-PesterSuite {
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        throw 'Pester 5 is not installed: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
    }
    # A fresh process, so the suite loads the built module and nothing else.
    $script = "`$c = New-PesterConfiguration; `$c.Run.Path = '$PSScriptRoot/tests/Pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    Invoke-Native { pwsh -NoProfile -NonInteractive -Command $script }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' {
        Invoke-Build
        Invoke-Native { dotnet test (Join-Path $PSScriptRoot 'WeComPS.sln') -c $Configuration --no-build --nologo }
        Invoke-PesterSuite
    }
    'Pester' { Invoke-PesterSuite }
    'Demo' {
        Invoke-Build
        Import-Module $module -Force
        Connect-WeCom -Sandbox | Format-Table
        Write-Host "`nThe department tree:" -ForegroundColor Cyan
        Get-WeComDepartment | Format-Table
        Write-Host "Everyone under 邮箱产品部, each member once:" -ForegroundColor Cyan
        Get-WeComDepartment -Id 2 | Get-WeComUser -Recurse | Format-Table
        Write-Host "Tags and who carries them:" -ForegroundColor Cyan
        Get-WeComTag | Get-WeComTagMember | Format-Table
        Write-Host "Members by status across the corp:" -ForegroundColor Cyan
        Get-WeComUser | Group-Object Status -NoElement | Format-Table Name, Count
    }
}
