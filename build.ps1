<#
.SYNOPSIS
    Builds, tests and demonstrates WeComPS.
.DESCRIPTION
    Build   - builds the solution; the module is assembled in out/WeComPS.
    Test    - Build, then the xunit suites and the Pester suite against out/WeComPS.
    Pester  - the Pester suite only, against an already built out/WeComPS, in a fresh process of the
              PowerShell running this script (pwsh, or Windows PowerShell 5.1).
    Demo    - Build, then reads and changes the built-in sandbox corp with the module, as an admin would, ending with
              an HR CSV planned, reviewed, applied and journaled.
    Package - Build, validate the manifest, then pack out/WeComPS into out/WeComPS.<version>.nupkg, ready
              for the PowerShell Gallery, with PSResourceGet (or PowerShellGet 2) and a temporary local repository.
              -NoBuild packs out/WeComPS as it is built (the Pester suite does, while the module is loaded).
.EXAMPLE
    ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$module = Join-Path $PSScriptRoot 'out/WeComPS/WeComPS.psd1'
# A fresh process of the PowerShell running this script. $PSHOME names it also under the .NET tool, whose process is dotnet.
$powershell = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
# Pester as .ci/install-tools installs it, ahead of any other.
$toolModules = Join-Path $PSScriptRoot '.tools/modules'
if (Test-Path $toolModules) { $env:PSModulePath = $toolModules + [System.IO.Path]::PathSeparator + $env:PSModulePath }

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE) { throw "'$Command' failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native { dotnet build (Join-Path $PSScriptRoot 'WeComPS.sln') -c $Configuration --nologo }
}

function Invoke-PesterSuite {
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        throw 'Pester 5 is not installed: run .ci/install-tools, or Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
    }
    # A fresh process, so the suite loads the built module and nothing else.
    $script = "`$c = New-PesterConfiguration; `$c.Run.Path = '$PSScriptRoot/tests/Pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
    Invoke-Native { & $powershell -NoProfile -NonInteractive -Command $script }
}

# Packs out/WeComPS by publishing it to a temporary local repository, registered for this and removed after.
function Invoke-Package {
    $psResourceGet = Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet | Select-Object -First 1
    $powerShellGet = Get-Module -ListAvailable PowerShellGet | Where-Object Version -ge '2.0' | Select-Object -First 1
    if (-not $psResourceGet -and -not $powerShellGet) {
        throw 'Packaging needs Microsoft.PowerShell.PSResourceGet (in PowerShell 7.4+, or Install-Module Microsoft.PowerShell.PSResourceGet) or PowerShellGet 2 (Install-Module PowerShellGet -MinimumVersion 2.0).'
    }

    if (-not $NoBuild) { Invoke-Build }
    $manifest = Test-ModuleManifest $module -ErrorAction Stop
    $moduleFolder = Split-Path $module
    $feed = Join-Path ([System.IO.Path]::GetTempPath()) "WeComPS-package-$([guid]::NewGuid().ToString('N'))"
    $repository = Split-Path $feed -Leaf
    New-Item -ItemType Directory $feed | Out-Null
    try {
        if ($psResourceGet) {
            Import-Module $psResourceGet
            Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
            try { Publish-PSResource -Path $moduleFolder -Repository $repository }
            finally { Unregister-PSResourceRepository -Name $repository }
        }
        else {
            Import-Module $powerShellGet
            Register-PSRepository -Name $repository -SourceLocation $feed -PublishLocation $feed -InstallationPolicy Trusted
            try { Publish-Module -Path $moduleFolder -Repository $repository }
            finally { Unregister-PSRepository -Name $repository }
        }

        $package = Get-ChildItem $feed -Filter "WeComPS.*.nupkg" | Select-Object -First 1
        if (-not $package) { throw "Publishing WeComPS $($manifest.Version) produced no .nupkg in $feed." }
        $target = Join-Path (Split-Path $moduleFolder) $package.Name
        Move-Item $package.FullName $target -Force
        Write-Host "WeComPS $($manifest.Version) -> $target"
    }
    finally {
        Remove-Item $feed -Recurse -Force -ErrorAction SilentlyContinue
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' {
        Invoke-Build
        Invoke-Native { dotnet test (Join-Path $PSScriptRoot 'WeComPS.sln') -c $Configuration --no-build --nologo }
        Invoke-PesterSuite
    }
    'Pester' { Invoke-PesterSuite }
    'Package' { Invoke-Package }
    'Demo' {
        Invoke-Build
        Import-Module $module -Force
        Connect-WeCom -Sandbox -PassThru | Format-Table
        Write-Host "`nThe department tree:" -ForegroundColor Cyan
        Get-WeComDepartment | Format-Table
        Write-Host "Everyone under 邮箱产品部, each member once:" -ForegroundColor Cyan
        Get-WeComDepartment -Id 2 | Get-WeComUser -Recurse | Format-Table
        Write-Host "Tags and who carries them:" -ForegroundColor Cyan
        Get-WeComTag | Get-WeComTagMember | Format-Table
        Write-Host "Members by status across the corp:" -ForegroundColor Cyan
        Get-WeComUser | Group-Object Status -NoElement | Format-Table Name, Count
        Write-Host "New hires from CSV rows; the invalid row is reported and the others are created:" -ForegroundColor Cyan
        @'
UserId,Name,Mobile,Email,Department,Position
chen.xin,陈新,13900000001,,5;6,后台工程师
no.contact,无联系方式,,,5,
lin.hai,林海,,lin.hai@example.com,10,测试工程师
'@ | ConvertFrom-Csv | New-WeComUser -ErrorAction Continue | Format-Table
        Write-Host "Tag everyone in 邮箱产品部 and below with 值班 (tag 3) — first -WhatIf, then for real:" -ForegroundColor Cyan
        Get-WeComDepartment -Name '邮箱*' | Add-WeComTagUser -TagId 3 -WhatIf
        Get-WeComDepartment -Name '邮箱*' | Add-WeComTagUser -TagId 3 -PassThru | Format-Table
        Write-Host "Disable the members of 支付组, and show them:" -ForegroundColor Cyan
        Get-WeComUser -DepartmentId 7 | Disable-WeComUser -PassThru | Format-Table
        Write-Host "Sync members from an HR export in one async import job, one result per row:" -ForegroundColor Cyan
        @'
UserId,Name,Department,Position,Mobile
SongJiu,宋九,9,iOS 负责人,
zhou.lan,周岚,9,iOS 工程师,13900000009
'@ | ConvertFrom-Csv | Sync-WeComUser -Confirm:$false | Format-Table
        Write-Host "Export the directory back (export job: downloaded, md5-checked, decrypted):" -ForegroundColor Cyan
        Export-WeComUser | Select-Object -First 5 | Format-Table
        Write-Host "From a new server the contacts-sync secret alone reads no names (48009): one warning says what to add." -ForegroundColor Cyan
        $newIp = ConvertTo-SecureString 'sandbox-contacts-sync-secret-new-ip' -AsPlainText -Force
        Connect-WeCom -Sandbox -Name new-ip -Secret $newIp | Out-Null
        Get-WeComDepartment | Select-Object -First 3 | Format-Table
        Write-Host "The recommended setup: the contacts-sync secret and an app that sees the whole corp, in one connection:" -ForegroundColor Cyan
        Connect-WeCom -Sandbox -Name recommended -Secret $newIp -AppSecret (ConvertTo-SecureString 'sandbox-directory-app-secret' -AsPlainText -Force) | Out-Null
        Get-WeComDepartment | Select-Object -First 3 | Format-Table
        Get-WeComConnection recommended | Format-List Name, Secrets, LimitedReads
        Write-Host "Desired state: an HR CSV, the plan it makes (only its columns are compared), saved for review:" -ForegroundColor Cyan
        $work = Join-Path ([System.IO.Path]::GetTempPath()) "wecom-demo-$([guid]::NewGuid())"
        New-Item -ItemType Directory $work | Out-Null
        @'
UserId,Name,Email,Department,Position
LiSi,李四,lisi@example.com,广州研发中心/邮箱产品部;广州研发中心/邮箱产品部/邮箱后台组,技术总监
WangWu,王五,wangwu@example.com,广州研发中心/邮箱产品部/邮箱后台组,后台工程师
he.yun,何云,he.yun@example.com,广州研发中心/云事业部/存储组,存储工程师
'@ | Set-Content (Join-Path $work 'hr.csv') -Encoding utf8
        $plan = Import-Csv (Join-Path $work 'hr.csv') | Compare-WeComUser -CreateMissingDepartments
        $plan | Format-Table
        $plan | Export-Csv (Join-Path $work 'plan.csv') -NoTypeInformation -Encoding utf8
        Write-Host "Someone changes LiSi after the review; the reviewed plan is applied, with a journal (LiSi is refused as stale):" -ForegroundColor Cyan
        Set-WeComUser LiSi -Position 首席产品官
        Import-Csv (Join-Path $work 'plan.csv') | Invoke-WeComPlan -JournalPath (Join-Path $work 'journal.jsonl') -Confirm:$false -ErrorAction Continue | Format-Table
        Write-Host "The journal, read back:" -ForegroundColor Cyan
        Get-WeComJournal (Join-Path $work 'journal.jsonl') | Format-Table Time, Outcome, Action, Target, Connection
        Remove-Item $work -Recurse -Force
    }
}
